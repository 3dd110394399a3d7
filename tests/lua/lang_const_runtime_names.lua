-- runtime error messages naming constants and locals
local function try(f) print(pcall(f)) end
local n <const> = nil
local s <const> = "str"
local num <const> = 42
local tb <const> = {}
try(function() return n.x end)
try(function() return n() end)
try(function() return s.x.y end)
try(function() return num.x end)
try(function() return num() end)
try(function() return tb.a.b end)
try(function() return tb:m() end)
try(function() return num + {} end)
try(function() return {} + num end)
try(function() return s + 1 end)
try(function() return num .. {} end)
try(function() return #num end)
try(function() local l <const> = 1.5; return l | 0 end)
try(function() local l <const> = "x"; return l & 1 end)
try(function() local l <const> = false; return l.f end)
