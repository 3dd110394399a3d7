-- Indexing values that cannot be indexed.
local function try(f) print(select(2, pcall(f))) end
local t = {}
try(function() return t.a.b end)
try(function() return undefined_var.x end)
try(function() local n = nil return n[1] end)
try(function() local b = true return b.x end)
try(function() local b = true b.x = 1 end)
try(function() t.a.b = 1 end)
try(function() local N = setmetatable({}, {__name = "Node", __index = function() return nil end}) return N.x.y end)
try(function() local f = print return f.x end)
-- chains ending in a non-indexable value are not named
try(function() local c = setmetatable({}, {__index = 5}) return c.x end)
try(function() local c = setmetatable({}, {__newindex = true}) c.x = 1 end)
try(function() local c = setmetatable({}, {__index = setmetatable({}, {__index = "s"})}) return type(c.len) end)
-- table keys that cannot be set
try(function() t[nil] = 1 end)
try(function() t[0/0] = 1 end)
try(function() local p = setmetatable({}, {__newindex = {}}) p[nil] = 1 end)
print(t[nil], t[0/0])
