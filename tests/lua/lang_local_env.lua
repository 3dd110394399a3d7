-- _ENV as a local or upvalue changes what global names mean
local print, tostring = print, tostring
do
  local _ENV = {x = "inner x"}
  print(x, y)
  y = "set in table"
  print(y, _ENV.y)
end
print(x, y)
local function with_env(_ENV) return a + b end
print(with_env({a = 1, b = 2}))
local function maker()
  local _ENV <const> = {v = "const env"}
  return function() return v end
end
print(maker()())
print(pcall(function()
  local _ENV = nil
  return undefined_global
end))
print(pcall(function()
  local _ENV = 5
  undefined_global = 1
end))
local env = setmetatable({}, {__index = function(_, k) return "dyn:" .. k end})
local function dyn()
  local _ENV = env
  return foo, bar
end
print(dyn())
print(load("x = 1; return _ENV", "=c", "t", {}) ~= nil)
local e2 = {}
load("z = 10", "=c", "t", e2)()
print(e2.z, z)
-- assigning to _ENV itself
local function swap()
  local saved = _ENV
  _ENV = {q = "swapped"}
  local r = q
  _ENV = saved
  return r
end
print(swap())
