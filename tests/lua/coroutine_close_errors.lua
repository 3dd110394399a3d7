-- coroutine.close of a dead coroutine reports its error once; a running or normal one
-- cannot be closed.
local co = coroutine.create(function() error("died") end)
print(coroutine.resume(co))
print(coroutine.close(co))
print(coroutine.close(co))
co = coroutine.create(function() error({}) end)
coroutine.resume(co)
local ok, e = coroutine.close(co)
print(ok, type(e))
print(pcall(coroutine.close, coroutine.running()))
local outer
outer = coroutine.create(function()
  print(pcall(coroutine.close, outer))
  local inner = coroutine.create(function() print(pcall(coroutine.close, outer)) end)
  coroutine.resume(inner)
end)
coroutine.resume(outer)
print(pcall(coroutine.close, 1))
