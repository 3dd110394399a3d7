-- An error in a finalizer is not an error of the program: it is a warning (silent unless
-- warnings are on), and the other finalizers still run.
local log = {}
local objs = {}
objs[1] = setmetatable({}, {__gc = function() log[#log + 1] = 1 end})
objs[2] = setmetatable({}, {__gc = function() error("boom") end})
objs[3] = setmetatable({}, {__gc = function() log[#log + 1] = 3 end})
objs[4] = setmetatable({}, {__gc = function() error({}) end})
objs[5] = setmetatable({}, {__gc = function() local x = nil; return x.y end})
objs[6] = setmetatable({}, {__gc = function() log[#log + 1] = 6 end})
objs = nil
print(pcall(collectgarbage))
print(table.concat(log, " "))
-- inside pcall, with a finalizer that errors while the protected code runs
local ok, err = pcall(function()
  local t = setmetatable({}, {__gc = function() error("late") end})
  t = nil
  collectgarbage()
  return "body done"
end)
print(ok, err)
-- a finalizer that calls error with a level and from nested functions
local function deep(n) if n == 0 then error("deep") end return deep(n - 1) end
setmetatable({}, {__gc = function() deep(50) end})
collectgarbage()
print("still alive")
