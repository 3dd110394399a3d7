-- Indexing numbers, booleans and functions fails; strings index the string library.
local n, b, f = 1, true, print
print(pcall(function() return n.x end))
print(pcall(function() return b.x end))
print(pcall(function() return f.x end))
print(pcall(function() return (1).x end))
print(pcall(function() n.x = 1 end))
print(("abc").len ~= nil, ("abc").nothing)
print(pcall(function() local s = "x"; s.y = 1 end))
