-- Calling a non-function in a generic for is an error.
print(pcall(function() for x in nil do end end))
print(pcall(function() for x in 5 do end end))
print(pcall(function() local t = {} for k in t do end end))
print(pcall(ipairs))
print(pcall(pairs))
