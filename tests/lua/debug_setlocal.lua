-- debug.setlocal changes a local of a running frame
local function index_of(level, wanted)
  local i = 1
  while true do
    local name = debug.getlocal(level + 1, i)
    if name == nil then return nil end
    if name == wanted then return i end
    i = i + 1
  end
end

local function setbyname(name, v)
  return debug.setlocal(2, index_of(2, name), v)
end

local x = 1
local y = 2
print(setbyname("x", 10), setbyname("y", "twenty"))
print(x, y)

local function f(a, b)
  local c = a + b
  print(debug.setlocal(1, 3, 100))
  print(a, b, c)
  print(debug.setlocal(1, 1, "A"))
  return a, c
end
print(f(1, 2))

-- in a loop: skip an iteration by moving the control variable
local total = 0
for i = 1, 5 do
  if i == 2 then setbyname("i", 4) end
  total = total + i
end
print(total)

-- varargs
local function va(...)
  debug.setlocal(1, -2, "changed")
  return ...
end
print(va(1, 2, 3))

-- no such local: nil, value unchanged
print(debug.setlocal(1, 50, 0))
print(debug.setlocal(1, -1, 0))
print(pcall(debug.setlocal, 1, 1))
print(pcall(debug.setlocal, 99, 1, 1))
print(x, y)

-- a closure that captured the local sees the new value
local cap = "old"
local function get() return cap end
setbyname("cap", "new")
print(get(), cap)

-- after the closure's block, the upvalue is closed: setlocal no longer reaches it
local g
do
  local inner = 1
  g = function() return inner end
  setbyname("inner", 2)
end
print(g())
