-- Closures made inside a coroutine read and write its locals while it is suspended
-- (their upvalues are parked in the coroutine): from hot, compiled code too.
local get, set, call
local co = coroutine.create(function()
  local counter = 0
  local function helper(x) return x * 2 end
  local env_like = { value = 5 }
  get = function() return counter end
  set = function(v) counter = v end
  call = function(x) return helper(x) + env_like.value end
  while true do
    counter = counter + 1
    coroutine.yield(counter)
  end
end)
print(coroutine.resume(co))
local sum = 0
for i = 1, 2000 do
  sum = sum + get() + call(i)
  if i % 500 == 0 then set(get() + 100) end
end
print("sum", sum, get())
print(coroutine.resume(co))
print("after resume", get())
for i = 1, 1000 do sum = sum + get() end
print("sum2", sum)
print(coroutine.close(co))
print("closed", get(), call(1))
set(7)
print("set after close", get())
