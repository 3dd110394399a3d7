-- A __gc finalizer runs non-yieldable even when collection happens inside a coroutine.
local seen
local co = coroutine.wrap(function()
  setmetatable({}, {__gc = function() seen = coroutine.isyieldable() end})
  collectgarbage()
  return coroutine.isyieldable()
end)
print(co(), seen)
