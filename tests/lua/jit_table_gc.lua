-- The collector and table array parts: objects among numbers and booleans in an array
-- part stay alive (the marker skips only non-objects), appends are counted when the
-- array part grows, and weak arrays still drop their dead objects.

-- Objects scattered in long runs of numbers, booleans and holes.
local function scattered(n)
  local t = {}
  for i = 1, n do
    if i % 97 == 0 then t[i] = {i}
    elseif i % 89 == 0 then t[i] = "s" .. i
    elseif i % 83 == 0 then t[i] = function() return i end
    elseif i % 2 == 0 then t[i] = i + 0.5
    else t[i] = i % 3 == 0 end
  end
  return t
end
local t = scattered(5000)
for _ = 1, 3 do collectgarbage() end
local sum = 0
for i = 97, 5000, 97 do sum = sum + t[i][1] end
local strs, fns = 0, 0
for i = 89, 5000, 89 do if i % 97 ~= 0 and t[i] == "s" .. i then strs = strs + 1 end end
for i = 83, 5000, 83 do
  if i % 97 ~= 0 and i % 89 ~= 0 and t[i]() == i then fns = fns + 1 end
end
print(sum, strs, fns, t[4], t[3], t[5])

-- A coroutine and nested tables reachable only through an array part.
local nest = {}
for i = 1, 200 do nest[i] = i end
nest[150] = {inner = {deep = "ok"}}
nest[201] = coroutine.create(function() coroutine.yield(1) return 2 end)
collectgarbage()
print(nest[150].inner.deep, coroutine.resume(nest[201]))

-- Appends are counted as the array part grows, and freed with the table.
collectgarbage()
collectgarbage("stop")
local base = collectgarbage("count")
local big = {}
for i = 1, 200000 do big[i] = true end
local grown = collectgarbage("count")
print("grew", grown - base > 200000 * 16 / 1024)
big = nil
collectgarbage("restart")
collectgarbage()
print("freed", collectgarbage("count") < grown - 1000)

-- Many short-lived arrays in a loop: the collector keeps up.
local function churn(rounds, n)
  local keep = 0
  for r = 1, rounds do
    local a = {}
    for i = 1, n do a[i] = i end
    keep = keep + #a
  end
  return keep
end
print(churn(200, 5000))
print("bounded", collectgarbage("count") < 64 * 1024)

-- A weak-valued array: dead objects leave it, numbers and strings stay.
local weak = setmetatable({}, {__mode = "v"})
local alive = {}
for i = 1, 100 do
  if i % 10 == 0 then
    local o = {i}
    weak[i] = o
    if i % 20 == 0 then alive[#alive + 1] = o end
  else
    weak[i] = i % 3 == 0 and ("w" .. i) or i
  end
end
collectgarbage()
collectgarbage()
local objs, others = 0, 0
for i = 1, 100 do
  if type(weak[i]) == "table" then objs = objs + 1 elseif weak[i] ~= nil then others = others + 1 end
end
print(objs, others, #alive)

-- Finalizers of tables held only in an array part run once it is dropped.
local ran = 0
local holder = {}
for i = 1, 50 do holder[i] = setmetatable({}, {__gc = function() ran = ran + 1 end}) end
collectgarbage()
print("before", ran)
holder = nil
collectgarbage()
collectgarbage()
print("after", ran)
