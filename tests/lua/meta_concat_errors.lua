-- Concatenation errors: which operand is blamed (lua5.4 works from the right).
local function try(f) print(select(2, pcall(f))) end
local t, u = {}, {}
local s = "s"
local N = setmetatable({}, {__name = "Named"})
try(function() return t .. s end)
try(function() return s .. t end)
try(function() return t .. u end)
try(function() return s .. t .. s end)
try(function() return t .. s .. s end)
try(function() return s .. s .. t end)
try(function() return t .. u .. s end)
try(function() return nil .. s end)
try(function() return s .. true end)
try(function() return N .. s end)
try(function() return s .. N end)
try(function() return s .. t.x end)
-- a metamethod result that cannot be concatenated further is blamed by its slot
local R = setmetatable({}, {__concat = function() return {} end})
try(function() return s .. R .. s end)
try(function() return type(R .. s .. s) end)
