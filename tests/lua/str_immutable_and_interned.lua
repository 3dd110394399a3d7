-- Strings are values: equal contents are equal, whatever way they were built.
local a = "abc"
local b = "ab" .. "c"
local c = string.char(97, 98, 99)
local d = ("abcabc"):sub(4)
print(a == b, b == c, c == d, rawequal(a, d))
local t = {}
t[a] = 1
print(t[b], t[c], t[d])
t[("x"):rep(40)] = "long"
print(t["xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"])
