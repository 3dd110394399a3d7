-- Indexing a nil field names the field.
local t = {a = {}}
print(pcall(function() return t.b.c end))
print(pcall(function() return t.a.b.c end))
print(pcall(function() t.b.c = 1 end))
print(pcall(function() return t.a["key"].z end))
