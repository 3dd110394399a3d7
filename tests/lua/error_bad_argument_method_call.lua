-- A bad argument through a method call counts self; the name comes from the call.
local s = "abc"
print(pcall(function() return s:rep({}) end))
print(pcall(function() return s:sub() end))
print(pcall(function() return s:byte("z") end))
print(pcall(function() return string.rep(s, nil) end))
print(pcall(function() local rep = string.rep; return rep() end))
print(pcall(function() return math.floor({}) end))
print(pcall(function() return tostring() end))
