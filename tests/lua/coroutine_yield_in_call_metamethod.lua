-- __call handlers and functions called through them may yield.
local callable = setmetatable({}, {__call = function(self, a, b)
  local c = coroutine.yield(a, b)
  return a + b + c
end})
local co = coroutine.create(function() return callable(1, 2) * 10 end)
print(coroutine.resume(co))
print(coroutine.resume(co, 3))
print(coroutine.status(co))
