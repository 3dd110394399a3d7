-- debug.traceback inside nested calls, through natives, as a message handler
local function deepest(level)
  return debug.traceback("at deepest", level)
end
local function middle(level)
  local r = deepest(level)
  return r
end
function top(level)
  local r = middle(level)
  return r
end
print(top())
print(top(2))
print(top(3))

-- through pcall
print(select(2, pcall(top)))

-- as a message handler
local function fails()
  local x = nil
  return x.field
end
print(select(2, xpcall(fails, debug.traceback)))

local obj = {}
function obj:m() error("from method") end
print(select(2, xpcall(function() obj:m() end, debug.traceback)))

-- a handler that adds its own level
print(select(2, xpcall(function() error({code = 1}) end, function(e)
  return debug.traceback(type(e), 2)
end)))

-- a long stack is cut in the middle
local function rec(n)
  if n == 0 then return debug.traceback("deep") end
  local r = rec(n - 1)
  return r
end
print(rec(30))
