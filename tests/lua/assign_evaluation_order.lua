-- In a multiple assignment all right-hand sides are evaluated before assigning.
local t = {1, 2, 3}
local i = 1
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local a = {}
local k = "x"
k, a[k] = "y", "first"
print(k, a.x, a.y)
local u, v = 1, 2
u, v = v, u + v
print(u, v)
g1, g2 = 5, g1
print(g1, g2)
