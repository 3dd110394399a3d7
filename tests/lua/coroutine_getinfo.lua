-- debug.getinfo of another coroutine's levels.
local co = coroutine.create(function()
  local x = 1
  coroutine.yield()
end)
coroutine.resume(co)
local i0 = debug.getinfo(co, 0, "nS")
print(i0.what, i0.name, i0.namewhat)
local i1 = debug.getinfo(co, 1, "lS")
print(i1.what, i1.currentline, i1.linedefined, i1.short_src)
print(debug.getinfo(co, 2))
print(debug.getinfo(co, 1, "f").func ~= nil)
local me = debug.getinfo(coroutine.running(), 1, "l")
print(me.currentline)
