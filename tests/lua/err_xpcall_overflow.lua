-- The message handler also runs for stack overflows.
local function f() return 1 + f() end
print(xpcall(f, function(m) return "H " .. m end))
local function g(n) return g(n + 1) + 1 end
print(xpcall(g, function(m) local t = {}; for i = 1, 50 do t[i] = i end; return #t .. " " .. m end, 1))
local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
print(xpcall(function() return setmetatable({}, mt).x end, function(m) return "H " .. m end))
print(pcall(f))
