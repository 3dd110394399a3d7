-- Deep Lua recursion is a catchable "stack overflow" error.
local function f(n) return 1 + f(n + 1) end
local ok, e = pcall(f, 1)
print(ok, e)
-- the VM keeps working afterwards, and deep but finite recursion is fine
local function sum(n) if n == 0 then return 0 end return n + sum(n - 1) end
print(sum(10000))
local count = 0
local function g() count = count + 1; g() end
print(pcall(g))
print(count > 1000)
-- again, through a method
local obj = {}
function obj:m() return self:m() + 1 end
print(pcall(obj.m, obj))
