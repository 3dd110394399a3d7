-- select with float-integral and string indices, and a count of only nils.
print(select(2.0, "a", "b"), select("1", "a"), select("#", nil, nil, nil))
print(pcall(select, 1.5, "a"))
print(select(-3, 1, 2, 3))
print(select(2, "only"))
print(select(math.maxinteger, 1, 2))
print(pcall(select, math.mininteger, 1))
