-- multiple assignment: all expressions are evaluated before any assignment
local a, b, c = 1, 2, 3
a, b, c = c, a, b
print(a, b, c)
local t = {1, 2, 3}
local i = 1
i, t[i] = i + 1, 20          -- t[1] (index evaluated before assignment)
print(i, t[1], t[2])
-- swap through table fields
t[1], t[2], t[3] = t[3], t[1], t[2]
print(t[1], t[2], t[3])
-- extra values are evaluated and dropped; missing ones become nil
local calls = {}
local function f(x) calls[#calls + 1] = x; return x end
local x, y = f(1), f(2), f(3)
print(x, y, table.concat(calls, ","))
local p, q, r = f(4)
print(p, q, r)
-- a function call in the middle is truncated to one value, at the end it expands
local function three() return 1, 2, 3 end
local m1, m2, m3, m4 = three(), three()
print(m1, m2, m3, m4)
local n1, n2, n3 = (three())
print(n1, n2, n3)
-- assignment to the same variable twice: lua5.4 assigns right-to-left, so the first wins
local z
z, z = 1, 2
print(z)
local g = {}
g.k, g.k = "first", "second"
print(g.k)
-- the table and key expressions are evaluated before the right-hand sides
local tt = {}
local function gett() calls[#calls + 1] = "t"; return tt end
local function getk() calls[#calls + 1] = "k"; return "key" end
calls = {}
gett()[getk()] = f("v")
print(table.concat(calls, ","), tt.key)
-- global and local mixes
G1, a, G2 = "g1", "la", "g2"
print(G1, a, G2)
-- nested tables with changing references
local u = {inner = {v = 1}}
local old = u.inner
u.inner, u.inner.v = {v = 100}, 2
print(u.inner.v, old.v)
