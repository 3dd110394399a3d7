-- Multiple assignment: extra values dropped, missing filled with nil, swap works.
local a, b, c = 1, 2
print(a, b, c)
a, b = 10, 20, 30
print(a, b)
a, b = b, a
print(a, b)
local x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
local function two() return "p", "q" end
local p, q, r = two()
print(p, q, r)
p, q, r = two(), 5
print(p, q, r)
p, q, r = 0, two()
print(p, q, r)
