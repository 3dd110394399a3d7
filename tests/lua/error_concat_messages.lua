-- Concatenation errors name the bad operand's type.
local t = {}
print(pcall(function() return "a" .. t end))
print(pcall(function() return t .. "a" end))
print(pcall(function() return "a" .. nil end))
print(pcall(function() return "a" .. missing end))
print(pcall(function() return 1 .. true end))
print(pcall(function() local f = print; return f .. "" end))
print(pcall(function() return "a" .. "b" .. {} .. "c" end))
