-- Any value except nil and NaN can be a key; reading an absent key gives nil.
local t = {}
local fk = function() end
local tk = {}
t[1] = "int"; t[1.5] = "float"; t["s"] = "string"; t[true] = "true"; t[false] = "false"
t[fk] = "function"; t[tk] = "table"; t[-0.0] = "zero?"
print(t[1], t[1.5], t.s, t[true], t[false], t[fk], t[tk], t[0], t[0.0])
print(t.missing, t[2], t[{}])
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(t[nil], t[0/0])
t.s = nil
print(t.s)
t[math.maxinteger] = "max"; t[math.mininteger] = "min"
print(t[math.maxinteger], t[math.mininteger], t[2^63])
