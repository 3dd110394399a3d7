-- Threads are collectable: weak tables drop them once unreachable, keep them while
-- referenced.
local weak = setmetatable({}, {__mode = "v"})
local keep = coroutine.create(function() coroutine.yield() end)
coroutine.resume(keep)
weak[1] = keep
weak[2] = coroutine.create(function() end)
local function suspended_one()
  local tmp = coroutine.create(function() coroutine.yield() end)
  coroutine.resume(tmp)
  weak[3] = tmp
end
suspended_one()
collectgarbage()
print(weak[1] == keep, weak[2], weak[3])
print(coroutine.resume(keep))
-- a closure capturing a suspended coroutine's local keeps working
local getter
local function make_getter()
  local co = coroutine.create(function()
    local secret = "kept"
    getter = function() return secret end
    coroutine.yield()
  end)
  coroutine.resume(co)
end
make_getter()
collectgarbage()
print(getter())
