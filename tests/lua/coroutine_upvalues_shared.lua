-- Upvalues are shared between threads: closures made in a coroutine see and change its
-- locals after it yields, and a coroutine sees and changes the main thread's locals.
local counter = 0
local inc, get
local co = coroutine.create(function()
  local n = 10
  inc = function() n = n + 1 end
  get = function() return n end
  while true do
    counter = counter + n
    coroutine.yield(n)
  end
end)
print(coroutine.resume(co))
inc(); inc()
print(get(), counter)
print(coroutine.resume(co))
print(counter)
inc()
print(coroutine.resume(co), get())
local shared = "main"
local w = coroutine.wrap(function()
  while true do
    shared = shared .. "+co"
    coroutine.yield()
  end
end)
w(); shared = shared .. "+main"; w()
print(shared)
