-- errors inside both parts of fused instruction pairs keep their own message and line
local function try(f, ...)
  local ok, e = pcall(f, ...)
  print(ok, e)
end

-- Mul then Add (on two lines)
local function muladd(a, b, c)
  local x = a * b
  return x +
    c
end
try(muladd, 2, 3, 4)
try(muladd, nil, 3, 4)
try(muladd, 2, 3, nil)
try(muladd, 2, 3, "x")
try(muladd, 2, 3, "5")

-- Mul then Mul
local function mulmul(a, b, c, d)
  local x, y = a * b, c * d
  return x, y
end
try(mulmul, 1, 2, 3, 4)
try(mulmul, 1, 2, {}, 4)

-- GetUpval then SubK: arithmetic on an upvalue
local up = nil
local function subk()
  return up - 1
end
try(subk)
up = 10
try(subk)

-- LoadTrue then SetTable, SetTable then ForLoop
local function marks(t, n)
  for i = 1, n do
    t[i * 2] = true
  end
  return t
end
try(function() return marks({}, 3)[6] end)
try(marks, nil, 3)
local function stores(t, k)
  for i = 1, 2 do
    t[k] = i
  end
  return t
end
try(stores, {}, nil)
try(stores, {}, 0/0)
try(function() return stores({}, "a").a end)

-- Add then ForLoop, with a metamethod in the first part
local mt = {__add = function(a, b) return 7 end}
local function addloop(v, n)
  local s = 0
  for i = 1, n do
    s = s + v
  end
  return s
end
try(addloop, 2, 5)
try(addloop, setmetatable({}, mt), 3)
try(addloop, "z", 3)

-- Add then LoadK, Move then Move
local function addk(a, b)
  local x = a + b
  local y = 1.5
  return x, y
end
try(addk, 1, 2)
try(addk, 1, false)
local function moves(a, b)
  local x, y = a, b
  print(x, y)
  return y, x
end
try(moves, 1, 2)

-- an error traceback line from the second part
local ok, tb = xpcall(muladd, debug.traceback, 1, 2, nil)
print(ok, (tb:gsub("\n.*", "")))
