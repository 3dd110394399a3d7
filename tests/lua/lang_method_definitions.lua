-- function definitions with dotted names and methods
local a = {b = {c = {}}}
function a.b.c.f(x) return "f" .. x end
function a.b.c:m(x) return self == a.b.c, x end
function a.b:n(...) return select("#", ...), self == a.b end
print(a.b.c.f(1), a.b.c:m(2), a.b.c.m(a.b.c, 3))
print(a.b:n(), a.b:n(nil, nil))
local obj = {v = 10}
function obj:get() return self.v end
function obj.static() return "static" end
print(obj:get(), obj.get({v = 5}), obj.static(), pcall(obj.get))
-- method call evaluates the receiver once
local count = 0
local function recv() count = count + 1; return obj end
print(recv():get(), count)
-- methods with string keys needing brackets
local t = {["odd key"] = function(self) return self.v end, v = "ok"}
print(t["odd key"](t))
-- global function definitions
function GlobalF(...) return ... end
print(GlobalF(1, 2))
-- redefining a method
function obj:get() return -self.v end
print(obj:get())
-- method on a call result and on an indexed table
local function mk() return {x = 3, get = function(self) return self.x end} end
print(mk():get(), ({x = 4, get = function(s) return s.x end}):get())
-- the self parameter is an ordinary local
function obj:setself() self = nil; return self end
print(obj:setself(), obj.v)
print(load("function a.b:c.d() end", "=x"))
print(load("function a:b:c() end", "=x"))
