-- Indexing a nil upvalue names it.
local up
print(pcall(function() return up.z end))
print(pcall(function() up.z = 1 end))
local num = 5
print(pcall(function() return num.z end))
