-- debug.upvalueid identifies upvalues; debug.upvaluejoin shares them
local function make()
  local shared = 0
  local other = 0
  local function a() shared = shared + 1 return shared, other end
  local function b() return shared end
  local function c() return other end
  return a, b, c
end
local a, b, c = make()
print(debug.upvalueid(a, 1) == debug.upvalueid(b, 1))
print(debug.upvalueid(a, 2) == debug.upvalueid(c, 1))
print(debug.upvalueid(a, 1) == debug.upvalueid(a, 2))
print(debug.upvalueid(a, 1) == debug.upvalueid(a, 1))
print(debug.upvalueid(a, 3), debug.upvalueid(a, 0))

local a2 = make()
print(debug.upvalueid(a, 1) == debug.upvalueid(a2, 1))

-- join: a's first upvalue becomes c's
debug.upvaluejoin(a, 1, c, 1)
print(debug.upvalueid(a, 1) == debug.upvalueid(c, 1))
print(a())
print(c(), b())
print(a())

-- join with a closure from elsewhere
local x = "x"
local function fx() return x end
local function fy() return "y" end
local y = "ylocal"
local function gy() return y end
debug.upvaluejoin(fx, 1, gy, 1)
print(fx())
y = "changed"
print(fx(), x)

-- errors
print(pcall(debug.upvaluejoin, a, 5, c, 1))
print(pcall(debug.upvaluejoin, a, 1, c, 9))
print(pcall(debug.upvaluejoin, print, 1, c, 1))
print(pcall(debug.upvaluejoin, a, 1, 1, 1))
print(pcall(debug.upvalueid, 1, 1))
print(pcall(debug.upvalueid, a))
