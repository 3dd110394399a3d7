-- Indexing a nil local names it.
print(pcall(function() local cfg; return cfg.name end))
print(pcall(function(arg1) return arg1.x end))
print(pcall(function() local t = nil; t.x = 5 end))
