-- A yield inside xpcall; the handler still runs for a later error.
local co = coroutine.create(function()
  local ok, v = xpcall(function(a)
    local b = coroutine.yield(a * 2)
    error("bad " .. b)
  end, function(m) return "handled: " .. m end, 21)
  print(ok, v)
  print(xpcall(coroutine.yield, print, "from xpcall"))
  return "done"
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "b"))
print(coroutine.resume(co, 1, 2))
