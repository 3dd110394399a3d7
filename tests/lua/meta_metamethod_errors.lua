-- Errors raised inside metamethods propagate with their own position and level.
local function try(f) print(select(2, pcall(f))) end
local bad = setmetatable({}, {
  __add = function() error("in add") end,
  __index = function(_, k) error("no field " .. k, 2) end,
  __newindex = function() error({code = 7}) end,
  __call = function() error("in call", 0) end,
  __lt = function() return nil + 1 end,
  __concat = function() local x = {} return x.y.z end,
  __len = function() error() end,
  __unm = function(a) return a + 1 end,
})
try(function() return bad + 1 end)
try(function() return bad.field end)
print(select(2, pcall(function() bad.x = 1 end)).code)
try(function() return (bad()) end)
try(function() return bad < bad end)
try(function() return bad .. "s" end)
try(function() return #bad end)
try(function() return -bad end)
-- errors in __tostring through print
try(function() print(setmetatable({}, {__tostring = function() error("ts fail") end})) end)
-- error objects that are tables with __tostring are shown by error handlers
local E = setmetatable({msg = "custom"}, {__tostring = function(e) return "E: " .. e.msg end})
local ok, e = pcall(error, E)
print(ok, tostring(e), e == E)
