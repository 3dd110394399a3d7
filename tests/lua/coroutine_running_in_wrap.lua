-- The thread behind a wrap function: running, status and yield from nested functions.
local thread
local w = coroutine.wrap(function()
  thread = coroutine.running()
  local function nested() return coroutine.yield("nested") end
  return nested()
end)
print(w())
print(type(thread), coroutine.status(thread))
print(w("back"))
print(coroutine.status(thread))
