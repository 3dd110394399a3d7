-- `return f()` in the scope of a to-be-closed variable is not a tail call:
-- the callee runs first, then the variable is closed, and all results are kept
local function closer(name)
  return setmetatable({}, { __close = function() print("close " .. name) end })
end

local function callee(...)
  print("callee runs", select("#", ...))
  return "r1", "r2", ...
end

local function f()
  local x <close> = closer("x")
  return callee(1, 2)
end
print(f())

local function m()
  local obj = { name = "obj" }
  function obj:method() print("method of " .. self.name) return self.name end
  local x <close> = closer("m")
  return obj:method()
end
print(m())

-- inside a generic for (its closing value) it is not a tail call either
local function inloop()
  for i in ipairs({ 10, 20 }) do
    return callee(i)
  end
end
print(inloop())

-- deep recursion through such returns still works (each level closes)
local count = 0
local function rec(n)
  local c <close> = setmetatable({}, { __close = function() count = count + 1 end })
  if n == 0 then return "bottom" end
  return rec(n - 1)
end
print(rec(100), count)
