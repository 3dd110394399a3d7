-- Metamethods that call other metamethods, recursively, and that yield values
-- computed by deep Lua calls.
local N = {}
N.__index = N
local function num(v) return setmetatable({v = v}, N) end
N.__add = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return num(av + bv)
end
N.__mul = function(a, b)
  -- multiplication by repeated addition through __add
  local r = num(0)
  for _ = 1, b.v do r = r + a end
  return r
end
N.__lt = function(a, b) return a.v < b.v end
N.__le = function(a, b) return not (b < a) end
N.__eq = function(a, b) return a.v == b.v end
N.__tostring = function(a) return "#" .. a.v end
N.__concat = function(a, b) return tostring(a) .. tostring(b) end
N.__call = function(self, x) return self * num(x) end
N.__len = function(self) return self.v end
local function fact(n) if n <= 1 then return num(1) end return num(n) * fact(n - 1) end
print(tostring(fact(6)), #fact(5))
print(num(3)(4) .. num(1), num(2) <= num(2), num(3) >= num(4), num(5) == num(2) + 3)
-- a deep __index chain of functions
local depth = 0
local function mk(n)
  if n == 0 then return {leaf = "leaf"} end
  local inner = mk(n - 1)
  return setmetatable({}, {__index = function(_, k) depth = depth + 1 return inner[k] end})
end
print(mk(50).leaf, depth)
-- sorting objects with __lt
local xs = {}
for i = 1, 50 do xs[i] = num((i * 37) % 50) end
table.sort(xs)
print(tostring(xs[1]), tostring(xs[50]), #xs)
