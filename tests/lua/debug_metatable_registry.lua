-- raw metatable access and the registry
local mt = {__metatable = "protected", __index = {z = 26}}
local t = setmetatable({}, mt)
print(getmetatable(t))
print(debug.getmetatable(t) == mt)
print(pcall(setmetatable, t, nil))
-- debug.setmetatable ignores __metatable and returns the value
print(debug.setmetatable(t, nil) == t)
print(getmetatable(t), t.z)
print(debug.setmetatable(t, {__index = function(_, k) return k .. "!" end}) == t)
print(t.hi)

-- strings share one metatable
local smt = debug.getmetatable("")
print(smt == getmetatable("abc"), smt.__index == string)
print(("x"):rep(3))

-- values without metatables
print(debug.getmetatable(1), debug.getmetatable(nil), debug.getmetatable(true))
print(debug.getmetatable(print), debug.getmetatable({}))
print(debug.setmetatable(1, nil), debug.setmetatable(nil, nil), debug.setmetatable(false, nil))

-- argument errors
print(pcall(debug.setmetatable, {}, 1))
print(pcall(debug.setmetatable, {}))
print(pcall(debug.getmetatable))

-- the registry
local reg = debug.getregistry()
print(type(reg), reg == debug.getregistry())
print(type(reg._LOADED), reg._LOADED == package.loaded, reg._LOADED.debug == debug)
print(reg._LOADED.string == string, reg._PRELOAD == package.preload)
