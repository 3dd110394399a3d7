-- coroutine.running and coroutine.isyieldable in the main thread and in coroutines.
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.isyieldable(), coroutine.isyieldable(main))
local co
co = coroutine.create(function()
  local me, m = coroutine.running()
  print(me == co, m, coroutine.isyieldable(), coroutine.isyieldable(main))
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.isyieldable(co))
local w
w = coroutine.wrap(function()
  local me = coroutine.running()
  print(type(me), me ~= main, coroutine.status(me))
end)
w()
