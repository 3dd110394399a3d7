-- Float keys with integral values are the same key as the integer.
local t = {}
t[1.0] = "one"
print(t[1], math.type(next(t)))
t[2] = "two"
print(t[2.0])
t[3] = "x"; t[3.0] = "three"
print(t[3])
print(#t)
t[2^53] = "big"
print(t[9007199254740992])
t[-0.0] = "zero"
print(t[0])
local count = 0
for k in pairs(t) do count = count + 1 end
print(count)
local s = {}
s["1"] = "string one"; s[1] = "int one"
print(s["1"], s[1])
