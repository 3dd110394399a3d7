-- Metamethods work on values produced by calls, upvalues and varargs.
local mt = {__index = function(_, k) return "<" .. k .. ">" end,
            __add = function(a, b) return "sum" end}
local function make() return setmetatable({}, mt) end
print(make().foo, make()["bar"], make() + 1, 1 + make())
local up = make()
local function f() return up.baz, up + up end
print(f())
local function g(...) local a = ... return a.qux, (...) + 2 end
print(g(make()))
local t = {make(), make()}
print(t[1].x, t[2] + t[1])
