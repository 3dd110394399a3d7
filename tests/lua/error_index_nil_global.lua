-- Indexing a nil global names it.
print(pcall(function() return missing.field end))
print(pcall(function() missing.field = 1 end))
print(pcall(function() return missing[1] end))
