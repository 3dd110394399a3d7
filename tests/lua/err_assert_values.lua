-- assert returns all its arguments; failures raise the message as it is.
print(assert(1, 2, 3))
print(select('#', assert(true, nil, nil)))
print(pcall(assert, false))
print(pcall(assert, nil, "custom"))
print(pcall(assert, false, 42))
local t = {}
local ok, e = pcall(assert, false, t)
print(ok, e == t)
print(pcall(assert))
print(pcall(assert, nil, nil))
print(pcall(function() assert(1 == 2, "math broke") end))
print(pcall(function() assert(false) end))
