-- float keys with integer values are normalised to integers; strings are never converted
local t = {}
t[1.0] = "one"
t[2^53] = "p53"
t[-0.0] = "zero"
t[3] = "three"
print(t[1], t[2^53 | 0], t[0], t[3.0], math.type(next({[5.0] = 1})))
t["1"] = "string one"
print(t[1], t["1"], t[1.0])
-- keys read back with the right type through pairs (sorted for determinism)
local keys = {}
for k in pairs({[1.0] = 1, [2.5] = 2, [-3.0] = 3, [2^60] = 4}) do
  keys[#keys + 1] = k
end
table.sort(keys)
for i = 1, #keys do keys[i] = tostring(keys[i]) .. ":" .. math.type(keys[i]) end
print(table.concat(keys, " "))
-- array part reached through float indexes
local a = {}
for i = 1.0, 5.0 do a[i] = i * 10 end
print(#a, a[1], a[5], math.type(a[5]))
for i = 1, 5 do a[i + 0.0] = nil end
print(#a, next(a))
-- 2^63 is not an integer key; 2^63 - 1 cannot be represented exactly as a float
local b = {}
b[2^63] = "f"
b[math.maxinteger] = "i"
b[-2^63] = "min"
print(b[2^63], b[math.maxinteger], b[math.mininteger], b[math.maxinteger + 0.0])
-- NaN and nil keys
print(pcall(function() b[0/0] = 1 end))
print(pcall(function() b[nil] = 1 end))
print(b[0/0], b[nil], rawget(b, 0/0))
print(pcall(rawset, b, 0/0, 1))
-- integer keys via arithmetic producing floats
local c = {}
c[10 / 2] = "five"
c[7 // 1.0] = "seven"
c[2^1] = "two"
print(c[5], c[7], c[2], #c)
-- large float keys stay floats
local d = {[1e300] = "big", [0.1] = "tenth"}
print(d[1e300], d[0.1], d[1/10])
