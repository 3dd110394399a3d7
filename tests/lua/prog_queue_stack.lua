-- A stack and a double-ended queue built on tables with explicit indices.
local Stack = {}
function Stack.new() return {items = {}, n = 0, push = Stack.push, pop = Stack.pop} end
function Stack.push(self, v) self.n = self.n + 1; self.items[self.n] = v end
function Stack.pop(self)
  if self.n == 0 then return nil, "empty" end
  local v = self.items[self.n]
  self.items[self.n] = nil
  self.n = self.n - 1
  return v
end
local s = Stack.new()
for i = 1, 5 do s:push(i * i) end
local out = {}
while true do
  local v = s:pop()
  if v == nil then break end
  out[#out + 1] = v
end
print(#out, out[1], out[5], s:pop())

local function new_deque() return {first = 0, last = -1, items = {}} end
local function push_front(q, v) q.first = q.first - 1; q.items[q.first] = v end
local function push_back(q, v) q.last = q.last + 1; q.items[q.last] = v end
local function pop_front(q)
  if q.first > q.last then error("deque is empty") end
  local v = q.items[q.first]; q.items[q.first] = nil; q.first = q.first + 1
  return v
end
local function pop_back(q)
  if q.first > q.last then error("deque is empty") end
  local v = q.items[q.last]; q.items[q.last] = nil; q.last = q.last - 1
  return v
end
local q = new_deque()
for i = 1, 3 do push_back(q, "b" .. i) end
for i = 1, 3 do push_front(q, "f" .. i) end
local order = ""
while q.first <= q.last do order = order .. pop_front(q) .. " " end
print(order)
push_back(q, 1); push_back(q, 2)
print(pop_back(q), pop_back(q))
print(pcall(pop_front, q))
-- breadth-first traversal with the deque
local graph = {a = {"b", "c"}, b = {"d"}, c = {"d", "e"}, d = {"f"}, e = {"f"}, f = {}}
local seen, visit = {a = true}, ""
local bfs = new_deque()
push_back(bfs, "a")
while bfs.first <= bfs.last do
  local node = pop_front(bfs)
  visit = visit .. node
  for _, nxt in ipairs(graph[node]) do
    if not seen[nxt] then seen[nxt] = true; push_back(bfs, nxt) end
  end
end
print(visit)
