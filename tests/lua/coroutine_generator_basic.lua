-- A generator built with coroutine.wrap yields a sequence, then ends.
local function range(n, step)
  return coroutine.wrap(function()
    for i = 1, n, step or 1 do coroutine.yield(i) end
    return "done"
  end)
end
local g = range(10, 3)
print(g(), g(), g(), g(), g())
for v in coroutine.wrap(function() for i = 1, 4 do coroutine.yield(i * i) end end) do
  io.write(v, " ")
end
print()
local evens = coroutine.wrap(function()
  local i = 0
  while true do i = i + 2; coroutine.yield(i) end
end)
local sum = 0
for _ = 1, 100 do sum = sum + evens() end
print(sum)
