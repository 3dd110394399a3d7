-- Hooks are per thread: a coroutine inherits its creator's hook when created, a hook set
-- inside a coroutine stays there, and sethook/gethook take a thread argument.
local log = {}
local function hook(ev) log[#log + 1] = ev end
local function show(label) print(label, #log, table.concat(log, ",")) log = {} end

local co1 = coroutine.create(function()
  local x = 1
  coroutine.yield()
  return x
end)
debug.sethook(hook, "c")
local co2 = coroutine.create(function()
  local y = (function() return 2 end)()
  coroutine.yield()
  return y
end)
debug.sethook()
show("main off")
coroutine.resume(co1)   -- created before the hook: no hook
show("co1")
coroutine.resume(co2)   -- created with the hook: inherited
show("co2")
print(debug.gethook(co2) == hook, select(2, debug.gethook(co2)), debug.gethook(co1), debug.gethook())

local co3 = coroutine.create(function()
  debug.sethook(hook, "r")
  coroutine.yield(select(2, debug.gethook()))
  local z = (function() return 3 end)()
  return z
end)
print(coroutine.resume(co3))
local before = #log
print(("x"):rep(2), #log == before, debug.gethook())   -- main still has no hook
log = {}
print(coroutine.resume(co3))
print(#log > 0, log[1])

-- Set and remove another thread's hook from outside.
local co4 = coroutine.create(function() local a = math.abs(-1) return a end)
debug.sethook(co4, hook, "c")
print(select(2, debug.gethook(co4)), debug.gethook())
log = {}
print(coroutine.resume(co4))
print(#log > 0)
debug.sethook(co2)
print(debug.gethook(co2))
print(pcall(debug.sethook, co2, hook))
print(pcall(debug.sethook, co2, 1, "c"))
