-- A closing keyword with nothing to close.
print(1)
end
