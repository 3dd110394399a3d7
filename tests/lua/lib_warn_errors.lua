-- warn checks every argument is a string (numbers convert) and needs at least one.
print(pcall(warn))
print(pcall(warn, "x", {}))
print(pcall(warn, nil))
print(pcall(warn, "a", 1, 2.5))
print(select("#", warn("@off")))
