-- _ENV is an ordinary upvalue/local: `local _ENV` changes what globals mean.
local print, tostring = print, tostring
g = "global"
do
  local _ENV = {g = "inner"}
  print(g)
  h = 1
end
print(g, h)
local function with_env(e)
  local _ENV = e
  return function() return g end
end
print(with_env({g = "a"})(), with_env({g = "b"})())
-- _ENV as a parameter
local function read(_ENV) return g, missing end
print(read({g = 1, missing = 2}))
-- assigning to _ENV
local function swap()
  local saved = _ENV
  _ENV = {g = "swapped"}
  local r = g
  _ENV = saved
  return r, g
end
print(swap())
-- a nil _ENV makes global access fail
print(pcall(function() local _ENV = nil; return g end))
print(pcall(function() local _ENV = {}; return print("x") end))
