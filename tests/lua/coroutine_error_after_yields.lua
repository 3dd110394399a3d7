-- Runtime errors in coroutines keep lua5.4's messages and variable names.
local co = coroutine.create(function(t)
  coroutine.yield(1)
  return t.a.b
end)
print(coroutine.resume(co, {}))
print(coroutine.resume(co))
co = coroutine.create(function()
  local s = "x"
  coroutine.yield()
  return s + 1
end)
coroutine.resume(co)
print(coroutine.resume(co))
co = coroutine.create(function() undefined_global() end)
print(coroutine.resume(co))
