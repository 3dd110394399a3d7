-- Edge cases: a wrap function resuming itself, errors through nested wraps, closing a
-- suspended coroutine from inside another one, resuming from a finalizer.
local self_w
self_w = coroutine.wrap(function() return self_w() end)
print(pcall(self_w))
local inner = coroutine.wrap(function() coroutine.yield(1); error("deep") end)
local outer = coroutine.wrap(function()
  local a = inner()
  local b = inner()
  return a, b
end)
print(pcall(outer))
local victim = coroutine.create(function() coroutine.yield("v1"); print("never") end)
coroutine.resume(victim)
local closer = coroutine.create(function()
  local ok = coroutine.close(victim)
  coroutine.yield(ok, coroutine.status(victim))
  return "closer done"
end)
print(coroutine.resume(closer))
print(coroutine.resume(closer))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
local got = {}
setmetatable({}, {__gc = function() got[#got + 1] = gen() end})
collectgarbage()
print(#got, got[1])
print(select("#", coroutine.running()))
local co = coroutine.create(function(...) return select("#", ...) end)
print(coroutine.resume(co, nil, nil))
