-- Tables are references: assignment aliases, passing to functions mutates the original.
local a = {v = 1}
local b = a
b.v = 2
print(a.v, a == b)
local function set(t) t.v = "changed" end
set(a)
print(b.v)
local c = {v = a.v}
c.v = "copy"
print(a.v, c.v)
local self_ref = {}
self_ref.me = self_ref
print(self_ref.me.me.me == self_ref)
