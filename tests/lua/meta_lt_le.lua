-- __lt and __le (with lua5.4's 5.3-compatible fallback of a <= b to not (b < a)).
local log = {}
local V = {}
V.__lt = function(a, b)
  log[#log + 1] = "lt"
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av < bv
end
local function v(n) return setmetatable({v = n}, V) end
print(v(1) < v(2), v(2) < v(1), v(1) > v(2), v(2) > v(1))
print(v(1) < 5, 5 < v(1), 0 > v(1))
-- no __le: falls back to not (b < a)
print(v(1) <= v(1), v(2) <= v(1), v(1) >= v(2), 3 <= v(3))
print(#log)
-- with __le
V.__le = function(a, b) log[#log + 1] = "le" return "truthy" end
print(v(9) <= v(1), v(1) >= v(9))
print(log[#log], #log)
-- results are converted to booleans
local W = setmetatable({}, {__lt = function() return 0 end, __le = function() return nil end})
print(W < W, W <= W, W > 1, W >= 1)
-- sorting with __lt
local list = {v(5), v(3), v(9), v(1), v(7)}
table.sort(list)
local out = {}
for i, x in ipairs(list) do out[i] = x.v end
print(table.concat(out, " "))
