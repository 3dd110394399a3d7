-- Metatables met by the JIT's inline table stores and reads: set or changed inside a
-- hot loop, by the loop itself or by a call; __newindex applies only to absent keys
-- (nil slots in the array part, appends, the hash part), __index only to absent reads.

local log = {}
local function note(s) log[#log + 1] = s end

-- setmetatable in the middle of an appending loop.
local function set_midway(n, at)
  local t = {}
  local mt = {__newindex = function(t, k, v) note("ni" .. k); rawset(t, k, v) end}
  for i = 1, n do
    if i == at then setmetatable(t, mt) end
    t[i] = i
  end
  return #t
end
log = {}
print(set_midway(10, 6), table.concat(log, " "))

-- A metatable whose __newindex swallows the store: present slots are still written.
local function swallow(n)
  local t = {}
  for i = 1, n do t[i] = 0 end
  setmetatable(t, {__newindex = function(t, k, v) note("drop" .. k) end})
  for i = 1, n + 3 do t[i] = i end
  t[2] = nil                      -- present: a raw store of nil
  t[2] = 22                       -- absent now: __newindex
  local out = {}
  for i = 1, n + 3 do out[#out + 1] = tostring(rawget(t, i)) end
  return table.concat(out, ",")
end
log = {}
print(swallow(5), table.concat(log, " "))

-- __newindex given as a table: absent keys go there.
local function redirect(n)
  local store = {}
  local t = setmetatable({1, 2, 3}, {__newindex = store})
  for i = 1, n do t[i] = i * 100 end
  local c = 0
  for _ in pairs(store) do c = c + 1 end
  return #t, c, t[3], store[4], store[n]
end
print(redirect(8))

-- The metatable removed inside the loop: later appends are plain again.
local function unset(n)
  local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, -v) end})
  for i = 1, n do
    if i == 4 then setmetatable(t, nil) end
    t[i] = i
  end
  return table.concat(t, ",")
end
print(unset(8))

-- A call inside the loop sets and clears the metatable every few iterations.
local mt = {__newindex = function(t, k, v) rawset(t, k, "m" .. v) end}
local function toggle(t, i)
  if i % 4 == 0 then setmetatable(t, mt) elseif i % 4 == 2 then setmetatable(t, nil) end
end
local function toggled(n)
  local t = {}
  for i = 1, n do
    toggle(t, i)
    t[i] = i
    t[i] = t[i]                   -- present: never __newindex
  end
  return table.concat(t, ",")
end
print(toggled(12))

-- __index on reads of holes and past the end; present values are read as they are.
local function reads(n)
  local t = setmetatable({}, {__index = function(t, k) return "d" .. k end})
  for i = 1, n, 2 do t[i] = i end
  local out = {}
  for i = 1, n + 1 do out[#out + 1] = tostring(t[i]) end
  return table.concat(out, ",")
end
print(reads(7))

-- String keys: present fields are stored inline, absent ones may go through __newindex.
local function fields(n)
  local obj = {x = 0, y = 0}
  local seen = 0
  setmetatable(obj, {__newindex = function(t, k, v) seen = seen + 1; rawset(t, k, v) end})
  for i = 1, n do
    obj.x = obj.x + i
    obj.y = i
    if i == n // 2 then obj.z = i end
    if i == n // 2 + 1 then obj.x = nil; obj.x = i end
  end
  return obj.x, obj.y, obj.z, seen
end
print(fields(20))

-- Metatables on the values stored (userdata-like tables) do not matter to stores.
local function objects(n)
  local proto = setmetatable({}, {__newindex = function() error("never") end})
  local t = {}
  for i = 1, n do t[i] = proto end
  return #t, t[n] == proto
end
print(objects(50))

-- A table that gains a metatable through a __gc-free metatable with __len.
local function lens(n)
  local t = {}
  for i = 1, n do t[i] = i end
  local before = #t
  setmetatable(t, {__len = function() return -1 end})
  for i = n + 1, n + 5 do t[i] = i end
  return before, #t, rawlen(t)
end
print(lens(10))
