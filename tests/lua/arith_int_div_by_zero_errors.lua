-- Integer // and % by zero raise errors; float division gives inf/nan instead.
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
local zero = 0
print(pcall(function() return 10 // zero end))
print(pcall(function() return 10 % zero end))
print(1 // 0.0, 1 % 0.0 ~= 1 % 0.0, 1 / 0)
print(pcall(function() return math.mininteger // 0 end))
print(1.0 // zero, -1 // 0.0)
