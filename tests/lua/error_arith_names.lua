-- Arithmetic errors name globals, locals, fields, upvalues and constants.
local up = {}
print(pcall(function() return g + 1 end))
print(pcall(function() local l; return l * 2 end))
print(pcall(function() local t = {}; return t.f - 1 end))
print(pcall(function() return up / 2 end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return "a" + "b" end))
print(pcall(function() local t = {}; return t.s % 1 end))
print(pcall(function() return -nothing end))
