-- Constructors: list items, record fields, [computed] keys, separators.
local t = {1, 2, 3; x = "x", ["y"] = "y", [10] = "ten"}
print(t[1], t[2], t[3], t.x, t.y, t[10])
local u = {[1 + 1] = "computed", [3 * 1] = "three"}
print(u[2], u[3], #"x")
local v = {"p", "q",}
print(#v, v[2])
local w = {x = 1; y = 2,}
print(w.x, w.y)
local e = {}
print(#e, next(e))
local k = "key"
local m = {[k] = 1, [k .. "2"] = 2, [true] = "t", [2.5] = "f"}
print(m.key, m.key2, m[true], m[2.5])
local nested = {{1, 2}, {3, {4}}}
print(nested[1][2], nested[2][2][1])
