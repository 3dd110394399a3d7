-- A tail call of a callable object runs its __call handler, in tail position.
local obj = setmetatable({}, {__call = function(self, x) return x * 2, self ~= nil end})
local function f(x) return obj(x) end
print(f(21))
-- A chain of __call objects in tail position.
local inner = setmetatable({}, {__call = function(_, a, b, c) return "inner", type(a), b, c end})
local outer = setmetatable({}, {__call = inner})
local function g(...) return outer(...) end
print(g(1, 2))
-- Deep tail recursion through a callable object stays in constant space.
local countdown
countdown = setmetatable({}, {__call = function(self, n)
  if n == 0 then return "done" end
  return countdown(n - 1)
end})
print(countdown(100000))
-- Calling a non-callable value in tail position names it.
local ok, e = pcall(function() local t = {} return t(1) end)
print(ok, e)
