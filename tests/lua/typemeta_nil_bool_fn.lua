-- per-type metatables for nil, booleans and functions
debug.setmetatable(nil, {__index = function(_, k) return "nil." .. k end,
                         __call = function(_, x) return "called nil", x end})
local x
print(x.field, x[1], x("arg"))
local t = {}
print(t.missing.deep)
debug.setmetatable(nil, nil)
print(pcall(function() return x.field end))
print(pcall(function() return t.missing.deep end))

debug.setmetatable(true, {__index = {flip = function(b) return not b end},
                          __tostring = function(b) return b and "yes" or "no" end,
                          __name = "Bool", __unm = function(b) return not b end,
                          __concat = function(a, b) return tostring(a) .. "+" .. tostring(b) end})
print((true):flip(), (false):flip(), -true)
print(tostring(true), tostring(false), true .. "s", 1 .. false)
print(pcall(function() return true < false end))
print(pcall(string.rep, true))
print(getmetatable(false) == getmetatable(true))
debug.setmetatable(false, nil)
print(getmetatable(true), tostring(true))

local function f(a) return a * 2 end
debug.setmetatable(f, {__index = {name = "a function"},
                       __concat = function(a, b) return "fcat" end,
                       __add = function(a, b) return "fadd" end,
                       __len = function() return 3 end})
print(f.name, print.name, f .. "x", "x" .. print, f + 1, #f, f(21))
print(getmetatable(print) == getmetatable(f))
print(pcall(function() return f.name.x.y end))
debug.setmetatable(print, nil)
print(pcall(function() return f.name end))
print(getmetatable("").__index == string, getmetatable({}))
