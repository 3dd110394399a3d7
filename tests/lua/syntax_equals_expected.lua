-- A list of assignment targets without the =.
local a, b = 1, 2
a, b
print(a)
