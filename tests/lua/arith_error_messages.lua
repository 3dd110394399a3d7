-- Arithmetic on bad operands names the variable when it can.
local t = {}
local s = "x"
print(pcall(function() return x + 1 end))
print(pcall(function() return 1 - t end))
print(pcall(function() return t.f * 2 end))
print(pcall(function() return s * 2 end))
print(pcall(function() return -t end))
print(pcall(function() return true + 1 end))
print(pcall(function() return 2 ^ {} end))
print(pcall(function() return 1 // nil end))
print(pcall(function() local a = "1.5" return a // 0 end))
