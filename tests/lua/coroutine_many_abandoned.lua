-- Many coroutines created in a loop and abandoned while suspended get collected.
local weak = setmetatable({}, {__mode = "k"})
local total = 0
local function step(i)
  local co = coroutine.create(function(a)
    local b = coroutine.yield(a + 1)
    return b
  end)
  local _, v = coroutine.resume(co, i)
  total = total + v
  if i % 100 == 0 then weak[co] = true end
end
for i = 1, 3000 do step(i) end
collectgarbage()
collectgarbage()
local left = 0
for _ in pairs(weak) do left = left + 1 end
print(total, left)
