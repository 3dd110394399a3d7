-- Many short-lived objects through metamethods (the collector runs during handlers).
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__concat = function(a, b)
  local sa = type(a) == "table" and ("(" .. a.x .. "," .. a.y .. ")") or a
  local sb = type(b) == "table" and ("(" .. b.x .. "," .. b.y .. ")") or b
  return sa .. sb
end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a.x < b.x end
V.__tostring = function(a) return "v" .. a.x end
V.__index = function(t, k) return k == "len2" and t.x * t.x + t.y * t.y or nil end
local acc = vec(0, 0)
local s = ""
for i = 1, 300 do
  acc = acc + vec(i, 1) + vec(0, 1)
  if i % 50 == 0 then s = s .. vec(i, i) .. "|" .. acc end
  assert(vec(i, 0) == vec(i, 0))
  assert(vec(i, 0) < vec(i + 1, 0))
end
print(acc.x, acc.y, acc.len2)
print(s)
local parts = {}
for i = 1, 20 do parts[i] = tostring(vec(i, 0)) end
print(table.concat(parts, " "))
