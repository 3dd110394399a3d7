-- Metatables and their fields can change at any time; every operation looks again.
local t = {}
local mt = {}
setmetatable(t, mt)
print(pcall(function() return t + 1 end))
mt.__add = function() return "added" end
print(t + 1)
mt.__add = nil
print(pcall(function() return t + 1 end))
mt.__index = {a = "A"}
print(t.a)
mt.__index = function() return "fn" end
print(t.a)
setmetatable(t, {__index = {a = "other"}})
print(t.a, getmetatable(t) == mt)
-- sharing one metatable between many tables
local shared = {__index = {kind = "shared"}}
local xs = {}
for i = 1, 5 do xs[i] = setmetatable({}, shared) end
shared.__index.kind = "changed"
print(xs[1].kind, xs[5].kind)
-- a metatable can be its own __index and have a metatable itself
local Base = {greet = function() return "hi" end}
local M = setmetatable({}, {__index = Base})
M.__index = M
local o = setmetatable({}, M)
print(o.greet())
