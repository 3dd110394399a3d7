-- A missing do after a for header.
for i = 1, 3
  print(i)
end
