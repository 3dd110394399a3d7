-- __metatable: getmetatable returns the field, setmetatable refuses to change it.
local mt = {__metatable = "locked", __index = {x = 1}}
local t = setmetatable({}, mt)
print(getmetatable(t), t.x)
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))
print(getmetatable(t), t.x)
local f = setmetatable({}, {__metatable = false})
print(getmetatable(f), pcall(setmetatable, f, {}))
local tbl_guard = setmetatable({}, {__metatable = {fake = true}})
print(getmetatable(tbl_guard).fake)
-- the string metatable
print(getmetatable("").__index == string, getmetatable("abc") == getmetatable(""))
-- removing an unprotected metatable
local u = setmetatable({}, {__index = {y = 2}})
print(u.y, setmetatable(u, nil) == u, u.y, getmetatable(u))
print(getmetatable(1), getmetatable(nil), getmetatable(print), getmetatable({}))
