-- Hot loops inside coroutines that yield from inside the loop and change value types
-- mid-run (compiled code takes guard exits inside the coroutine).
local function worker(n)
  local acc = 0
  for i = 1, n do
    acc = acc + i
    if i % 100 == 0 then
      local extra = coroutine.yield(acc)
      if extra then acc = acc + extra end
    end
  end
  return acc
end
local co = coroutine.create(worker)
local ok, v = coroutine.resume(co, 1000)
local steps = 0
while coroutine.status(co) ~= "dead" do
  steps = steps + 1
  -- alternate integer and float additions to break type speculation
  ok, v = coroutine.resume(co, steps % 2 == 0 and 0.5 or 1)
end
print(steps, v)
local function fsum(t)
  local s = 0
  for i = 1, #t do s = s + t[i]; if i % 3 == 0 then coroutine.yield(s) end end
  return s
end
local g = coroutine.wrap(fsum)
print(g({1, 2, 3.5, 4, "5", 6, 7, 8, 9}))
print(g(), g(), g())
