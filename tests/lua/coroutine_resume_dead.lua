-- Resuming a dead coroutine fails with lua5.4's message; it is a result, not an error.
local co = coroutine.create(function() return 1 end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co, 1, 2))
local bad = coroutine.create(function() error("first") end)
print(coroutine.resume(bad))
print(coroutine.resume(bad))
print(coroutine.status(bad))
