-- multiple assignment: table and key operands are evaluated before any store; targets are stored right to left
local t = {}
local old = t
t, t.x = {}, 1
print(old.x, t.x)
local u = {}
local oldu = u
u.x, u = 1, {}
print(oldu.x, u.x)
local i, a = 1, {}
a[i], i = "first", 2
print(a[1], a[2], i)
local k = 1
local b = {}
k, b[k], b[k + 1] = k + 1, k + 10, k + 20
print(k, b[1], b[2], b[3])
local c = {1, 2, 3}
local j = 1
j, c[j], c[j] = 3, "x", "y"
print(j, c[1], c[3])
local x, y, z = 1, 2, 3
x, y, z = z, x
print(x, y, z)
local function f() return 10, 20, 30 end
local p, q = 0, 0
p, q = q, f()
print(p, q)
local g = {}
g[1], g[2], g[3] = f()
print(g[1], g[2], g[3])
-- upvalue targets
local w = 0
local function setw() w, t = w + 1, w end
setw(); setw()
print(w, t)
-- globals and locals with same values
GA, GB = 1, 2
GA, GB = GB, GA
print(GA, GB)
local m = {n = {}}
local n0 = m.n
m.n, m.n.v = {}, "old"
print(n0.v, m.n.v)
