-- Yielding from the main thread is an error.
print(pcall(coroutine.yield, 1))
print(coroutine.isyieldable())
local ok, msg = pcall(function() coroutine.yield() end)
print(ok, msg)
coroutine.yield("boom")
