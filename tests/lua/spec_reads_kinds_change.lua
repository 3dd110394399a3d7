-- Type feedback on table reads: fields and array items read as floats many times, then
-- holding integers, strings, nil, or coming from __index. The reads' speculation must
-- fall back without changing any result.
local p = {x = 1.5, y = 2.5}
local function norm2(t) return t.x * t.x + t.y * t.y end

local s = 0
for _ = 1, 200 do s = s + norm2(p) end
print("floats", s)
p.x = 3
print("int field", norm2(p), math.type(norm2(p)))
p.y = "4"
print("string field", norm2(p))
local q = setmetatable({}, {__index = function(_, k) return k == "x" and 0.5 or 2 end})
print("__index", norm2(q))
for _ = 1, 200 do s = s + norm2(p) + norm2(q) end
print("mixed", s)
print(pcall(norm2, {x = 1}))

local a = {}
for i = 1, 100 do a[i] = i * 0.5 end
local function sum(t, n)
  local total = 0
  for i = 1, n do total = total + t[i] end
  return total
end
for _ = 1, 50 do s = sum(a, 100) end
print("array", s)
a[50] = 7
print("int item", sum(a, 100), math.type(sum(a, 100)))
for i = 1, 100 do a[i] = i end
print("all ints", sum(a, 100), math.type(sum(a, 100)))
a[60] = nil
print(pcall(sum, a, 100))
