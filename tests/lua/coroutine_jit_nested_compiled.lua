-- Yields from several levels of compiled Lua-to-Lua calls, with several coroutines
-- suspended inside compiled code at once.
local function leaf(i)
  local r = coroutine.yield(i)
  return r * 2
end
local function mid(i) return leaf(i) + 1 end
local function top(i) return mid(i) + mid(i + 1) end
local gens = {}
for k = 1, 4 do
  gens[k] = coroutine.create(function(base)
    local acc = 0
    for i = 1, 50 do acc = acc + top(base + i) end
    return acc
  end)
end
local results = {}
for k = 1, 4 do assert(coroutine.resume(gens[k], k * 100)) end
local live = 4
local step = 0
while live > 0 do
  live = 0
  for k = 1, 4 do
    if coroutine.status(gens[k]) == "suspended" then
      step = step + 1
      local ok, v = coroutine.resume(gens[k], step % 3 == 0 and 1.5 or step)
      assert(ok, v)
      if coroutine.status(gens[k]) == "dead" then results[k] = v else live = live + 1 end
    end
  end
end
print(step, results[1], results[2], results[3], results[4])
