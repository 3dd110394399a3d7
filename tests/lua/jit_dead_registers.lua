-- Native code does not write back registers the interpreter will not read (temporaries
-- overwritten before use). Every way out of compiled code must still leave the live
-- registers right and every slot traceable by the collector: guard exits in the middle
-- of loops with temporaries in flight, helpers that collect garbage or run Lua code,
-- errors raised from helpers, returns, and debug inspection of locals after an exit.

-- Temporaries of an expression, then a guard exit (the value turns into a string).
local function mix(t)
  local acc = 0
  for i = 1, #t do
    local v = t[i]
    acc = acc + (v * 2 + 1) * (v - 1)
  end
  return acc
end
local nums = {}
for i = 1, 200 do nums[i] = i end
print(mix(nums))
nums[150] = "7"
print(mix(nums))
nums[150] = {}
print(pcall(mix, nums))

-- A table store whose temporaries are strings and tables while a collection runs in a
-- metamethod reached through a helper.
local collected = 0
local mt = {
  __newindex = function(t, k, v)
    collectgarbage()
    collected = collected + 1
    rawset(t, k, v)
  end,
}
local function fill(n)
  local t = setmetatable({}, mt)
  local s = 0
  for i = 1, n do
    local key = "k" .. (i % 7)
    t[key] = { i, key }
    s = s + #t[key][2]
  end
  return s
end
print(fill(100), collected)

-- A loop whose temporary holds a fresh table each iteration, and a collection forced
-- from a helper on some iterations.
local function churn(n)
  local keep = 0
  for i = 1, n do
    local tmp = { i, i * 2 }
    if i % 25 == 0 then
      collectgarbage("step")
      keep = keep + #tostring(i)
    end
    keep = keep + tmp[2] - tmp[1]
  end
  return keep
end
print(churn(500))

-- Errors raised from helpers in the middle of an expression, caught and retried.
local function risky(t, n)
  local total = 0
  for i = 1, n do
    local ok, err = pcall(function()
      return t[i].x + i
    end)
    if ok then
      total = total + err
    else
      total = total + 1
    end
  end
  return total
end
local rows = {}
for i = 1, 60 do
  if i % 4 ~= 0 then rows[i] = { x = i } end
end
print(risky(rows, 60))

-- Locals read through the debug library from a hook, after compiled code ran.
local seen = {}
local function watched(n)
  local a, b = 0, 1
  for i = 1, n do
    a, b = b, (a + b) % 1000
  end
  local marker = a * 2
  return marker
end
print(watched(300))
debug.sethook(function()
  local info = debug.getinfo(2, "n")
  if info and info.name == "watched" then
    local i = 1
    while true do
      local name, value = debug.getlocal(2, i)
      if not name then break end
      if name == "a" or name == "b" or name == "n" then
        seen[#seen + 1] = name .. "=" .. tostring(value)
      end
      i = i + 1
    end
  end
end, "r")
print(watched(301))
debug.sethook()
print(table.concat(seen, " "))

-- Multiple results through temporaries, across returns from compiled code.
local function three(i) return i, i * 2, i * 3 end
local function sum3(n)
  local s = 0
  for i = 1, n do
    local a, b, c = three(i)
    s = s + a + b + c
  end
  return s
end
print(sum3(100))

-- A local no code reads after the loop, inspected by a return hook.
local function tail_dead(n)
  local x = 0
  for i = 1, n do x = x + i end
  local y = x * 2
  return y
end
print(tail_dead(50))
local dead_seen = {}
debug.sethook(function()
  local info = debug.getinfo(2, "n")
  if info and info.name == "tail_dead" then
    local i = 1
    while true do
      local name, value = debug.getlocal(2, i)
      if not name then break end
      if name == "x" or name == "y" then
        dead_seen[#dead_seen + 1] = name .. "=" .. tostring(value)
      end
      i = i + 1
    end
  end
end, "r")
print(tail_dead(60))
debug.sethook()
print(table.concat(dead_seen, " "))
