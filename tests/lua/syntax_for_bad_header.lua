-- A for with a bad header.
for i print(i) end
