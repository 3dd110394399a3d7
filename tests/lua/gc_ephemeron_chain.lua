-- Ephemerons: in a weak-key table, a value is reachable only if its key is. A chain of
-- entries k1 -> {next = k2} -> ... is kept alive by k1 alone, and dies with it.
local eph = setmetatable({}, {__mode = "k"})
local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end
local function chain(n)
  local first = {}
  local k = first
  for i = 1, n do
    local nk = {}
    eph[k] = {next = nk, i = i}
    k = nk
  end
  eph[k] = {i = n + 1}
  return first
end
-- built in reverse so that marking needs several passes over the table
local function reverse_chain(n)
  local keys = {}
  for i = 1, n do keys[i] = {} end
  for i = n, 2, -1 do eph[keys[i]] = {next = keys[i - 1]} end
  eph[keys[1]] = {last = true}
  return keys[n]
end
local function length(k)
  local steps = 0
  while eph[k] and eph[k].next do k = eph[k].next; steps = steps + 1 end
  return steps
end
local head = chain(20)
local other = reverse_chain(10)
collectgarbage()
print("entries", count(eph))
print("chain lengths", length(head), length(other))
head = nil
collectgarbage()
print("entries without head", count(eph))
other = nil
collectgarbage()
print("empty", next(eph) == nil)
-- a value that refers to its own key does not keep the entry
local cyc = setmetatable({}, {__mode = "k"})
local function add_cycle()
  local key = {}
  cyc[key] = {owner = key}
end
add_cycle()
collectgarbage()
print("cycle cleared", next(cyc) == nil)
-- two ephemeron tables referring to each other's keys
local e1 = setmetatable({}, {__mode = "k"})
local e2 = setmetatable({}, {__mode = "k"})
local a, b = {}, {}
e1[a] = b
e2[b] = {"payload"}
local function both() return count(e1), count(e2) end
collectgarbage()
print("cross", both())
a = nil
collectgarbage()
print("cross after a", both())
b = nil
collectgarbage()
print("cross after b", both())
