-- The env argument becomes the chunk's _ENV.
local env = {y = 5}
local f = load("y = y + 1; return y", "=c", "t", env)
print(f(), env.y, y)
print(f(), env.y)
print(pcall(load("return print", "=c", "t", {})))
print(pcall(load("return x", "=c", "t", nil)))
print(pcall(load("x = 1", "=c", "t", nil)))
print(load("return _ENV", "=c", "t", env)() == env)
print(load("return _ENV")() == _G)
-- functions defined in the chunk share its _ENV
local env2 = {}
local defs = load("function get() return v end; function set(x) v = x end", "=d", "t", env2)
defs()
env2.set(42)
print(env2.get(), env2.v, v)
-- env with a metatable falling back to the globals
local sandbox = setmetatable({}, {__index = _G})
load("z = tostring(12) .. '!'", "=s", "t", sandbox)()
print(sandbox.z, z)
