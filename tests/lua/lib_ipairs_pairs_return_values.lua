-- pairs and ipairs return an iterator triple; calling the parts directly works.
local t = {"a", "b"}
local f, s, i = ipairs(t)
print(type(f), s == t, i)
print(f(s, i))
print(f(s, 1))
print(f(s, 2))
local g, s2, k = pairs(t)
print(g == next, s2 == t, k)
print(g(s2, nil))
