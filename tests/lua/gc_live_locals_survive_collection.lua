-- Locals in scope in every suspended frame survive a full collection; only
-- out-of-scope slots are dropped (checked through weak tables and finalizers).
local weak = setmetatable({}, {__mode = "k"})
local function deep(n, acc)
  local mine = {n = n}
  weak[mine] = true
  if n == 0 then
    collectgarbage()
    local c = 0
    for _ in pairs(weak) do c = c + 1 end
    return c
  end
  local r = deep(n - 1, acc)
  assert(mine.n == n)
  return r
end
print("live while suspended", deep(20))
collectgarbage()
local c = 0
for _ in pairs(weak) do c = c + 1 end
print("after return", c)

-- The generic for's hidden state stays alive during the iterator call.
local function iter(state, i)
  collectgarbage()
  i = i + 1
  if state[i] then return i, state[i] end
end
local sum = 0
for i, v in iter, {10, 20, 30}, 0 do sum = sum + v end
print("for state", sum)

-- A value used after a call in the same expression is kept.
local function id(x) collectgarbage() return x end
local t = {v = 5}
print("expr", t.v + id(1) + t.v)
local a, b = id({1}), id({2})
print("multi", a[1], b[1])

-- Parameters and varargs of suspended frames are kept.
local function params(p, ...)
  local r = id(p)
  return r.k, select("#", ...), (...).k
end
print("params", params({k = "p"}, {k = "v"}, nil))

-- A local declared later in the block is dead before its declaration.
local log = {}
do
  local first = setmetatable({}, {__gc = function() log[#log + 1] = "first" end})
  first = nil
  collectgarbage()
  local second = setmetatable({}, {__gc = function() log[#log + 1] = "second" end})
  collectgarbage()
  print("second alive", second ~= nil, table.concat(log, ","))
end
collectgarbage()
print("after block", table.concat(log, ","))

-- Upvalues captured in a block are closed at its end and stay reachable via the closure.
local getter
do
  local captured = {"cap"}
  getter = function() return captured[1] end
end
collectgarbage()
print("closure", getter())
