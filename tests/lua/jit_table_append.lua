-- Appends and stores in hot loops (the JIT's inline paths) and every way out of them:
-- growth past the capacity, a hash part, holes, nil stores, rawset, a table replaced or
-- reshaped by a call inside the loop, and two names for one table.

local function fill(n, v)
  local t = {}
  for i = 1, n do t[i] = v end
  return t
end

-- Growth across many capacities, with values of every kind.
for _, n in ipairs({0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100, 1000, 4097}) do
  local t = fill(n, false)
  local u = fill(n, n)
  print(n, #t, #u, t[n], u[n], t[n + 1], rawlen(t))
end
local s = fill(10, "s")
print(#s, s[1], s[10], s[11])

-- A sieve (the benchmark's shape), twice with the same function.
local function sieve(n)
  local composite = {}
  for i = 1, n do composite[i] = false end
  local count = 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count, #composite
end
print(sieve(1000))
print(sieve(30000))

-- Appends after a key in the hash part: the next keys move into the array part.
local function with_hash(n)
  local t = {x = 1}
  t[n + 2] = "far"
  for i = 1, n do t[i] = i * 2 end
  local c = 0
  for _ in pairs(t) do c = c + 1 end
  local border = #t == n or #t == n + 2 -- either is a border
  return border, t[n], t[n + 1], t[n + 2], c
end
print(with_hash(5))
print(with_hash(100))

-- Keys that are not one past the end: holes, then filling them.
local function holes(n)
  local t = {}
  for i = 1, n, 2 do t[i] = i end
  for i = 2, n, 2 do t[i] = -i end
  local sum = 0
  for i = 1, n do sum = sum + t[i] end
  return sum, #t
end
print(holes(9))
print(holes(200))

-- Backwards: every store but the last goes to the hash part.
local function backwards(n)
  local t = {}
  for i = n, 1, -1 do t[i] = i end
  local sum = 0
  for i = 1, n do sum = sum + t[i] end
  return sum, #t
end
print(backwards(50))

-- nil stores: a nil append appends nothing, a nil store makes a hole.
local function nils(n)
  local t = {}
  local v
  for i = 1, n do
    if i % 3 == 0 then v = nil else v = i end
    t[#t + 1] = v
  end
  local c = 0
  for _ in pairs(t) do c = c + 1 end
  local u = fill(10, 1)
  for i = 10, 1, -2 do u[i] = nil end
  local border = #u
  return #t, c, border == 0 or u[border] ~= nil and u[border + 1] == nil
end
print(nils(30))

-- rawset and rawget in the loop agree with the inline paths.
local function raw(n)
  local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 10) end})
  for i = 1, n do
    if i % 2 == 0 then rawset(t, i, i) else t[i] = i end
  end
  local out = {}
  for i = 1, n do out[#out + 1] = rawget(t, i) end
  return table.concat(out, ",")
end
print(raw(10))

-- A call inside the loop replaces or reshapes the table the loop appends to.
local box = {t = {}}
local function replace(i)
  if i % 50 == 0 then box.t = {} end
end
local function reshape(t, i)
  if i == 30 then t.extra = true end          -- a hash part
  if i == 60 then t[1000] = "x" end            -- an integer key far away
  if i == 90 then for k = 1, 20 do t[k] = nil end end
end
local function appender(n)
  local t = {}
  local total = 0
  for i = 1, n do
    replace(i)
    local b = box.t
    b[#b + 1] = i
    t[i] = i
    reshape(t, i)
    total = total + #box.t
  end
  local c = 0
  for _ in pairs(t) do c = c + 1 end
  return total, #box.t, c, t[1000], t[21], t[20]
end
print(appender(120))

-- Two names for one table: appends through either are seen by the other.
local function aliases(n)
  local a = {}
  local b = a
  for i = 1, n do
    if i % 2 == 1 then a[#b + 1] = i else b[#a + 1] = -i end
  end
  return #a, #b, a[n], b[n - 1]
end
print(aliases(101))

-- Integer keys as floats, and float keys that are not integers.
local function floats(n)
  local t = {}
  for i = 1, n do t[i + 0.0] = i end
  for i = 1, n do t[i + 0.5] = -i end
  local c = 0
  for _ in pairs(t) do c = c + 1 end
  return #t, t[3], t[3.0], t[3.5], c
end
print(floats(20))

-- Reads of present, absent and nil slots in a loop.
local function reads(t, n)
  local some, none = 0, 0
  for i = 0, n do
    if t[i] then some = some + 1 else none = none + 1 end
  end
  return some, none
end
local r = fill(20, true)
r[5] = nil
r[7] = false
print(reads(r, 25))
