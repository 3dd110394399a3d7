-- Registers known to hold tables after a table access: the next accesses skip the type
-- check, and every way of putting something else there (assignment in a branch, a call,
-- the interpreter running the loop) must still be noticed.

local function sum_fields(list, n)
  local s = 0
  for i = 1, n do
    local p = list[i]
    s = s + p.a + p.b * 2
    if p.c then s = s + p.c end
    if type(p) == "table" then p.seen = (p.seen or 0) + 1 end
  end
  return s
end

local list = {}
for i = 1, 100 do list[i] = {a = i, b = i % 7, c = (i % 3 == 0) and 0.5 or nil} end
print(sum_fields(list, 100), sum_fields(list, 50), list[1].seen, list[100].seen)

-- A string among the tables: indexing it goes through its metatable.
list[60] = "xyz"
print(pcall(sum_fields, list, 100))
string.a, string.b = 1, 2
print(pcall(sum_fields, list, 100))
string.a, string.b = nil, nil

-- The same register a table, then a string, then a table again inside one loop.
local function flip(n)
  local t, out = {v = 1}, {}
  for i = 1, n do
    if i % 4 == 0 then t = "s" .. i elseif i % 4 == 1 then t = {v = i} end
    if type(t) == "table" then
      t.v = t.v + 1
      out[#out + 1] = t.v
    else
      out[#out + 1] = t:upper()
    end
  end
  return table.concat(out, ",")
end
print(flip(12))

-- Tables with metatables: __index and __newindex on the known table.
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return k .. "!" end,
  __newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end,
})
local function touch(t, n)
  local r = {}
  for i = 1, n do
    r[#r + 1] = t["k" .. i % 3]
    t["k" .. i % 3] = i
    r[#r + 1] = t.fixed
    t.fixed = i
  end
  return table.concat(r, " ")
end
print(touch(proxy, 5))
print(table.concat(log, " "))
print(touch({}, 5))

-- A table variable set to nil mid-loop: the access errors in the interpreter.
local function drop(n)
  local t = {x = 0}
  for i = 1, n do
    t.x = t.x + i
    if i == n - 1 then t = nil end
  end
  return t
end
print(pcall(drop, 10))

-- Truth of registers known to hold numbers or tables (always true, even 0 and 0.0).
local function truth(n)
  local c, t = 0, {}
  for i = 0, n do
    local f = i * 0.5
    t[i] = f
    if i then c = c + 1 end
    if f then c = c + 10 end
    if not t then c = c + 1000 end
    local x = i and f
    c = c + x
  end
  return c
end
print(truth(0), truth(10))
