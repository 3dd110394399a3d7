-- constant expressions must give the same results as computed ones
local k1 <const> = 7
local k2 <const> = 2
local k3 <const> = 0
local k4 <const> = -0.0
local k5 <const> = "10"
local k6 <const> = 3.0
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) .. ":" .. (math.type(t[i]) or type(t[i])) end
  print(table.concat(t, " "))
end
show(k1 / k2, k1 // k2, k1 % k2, k1 ^ k2, k1 & k2, k1 | k2, k1 ~ k2, k1 << k2, k1 >> k2)
show(k1 / k3, -k1 / k3, k3 / k3 ~= k3 / k3, k1 // k6, k1 % k6, k6 // k2)
show(k4, -k4, k4 == 0, 1 / k4)
show(k5 + 1, k5 * k6, k5 // 3, k5 .. k1, -k5)
show(k6 | 0, k6 << 1, ~k6)
print(pcall(function() return k1 // k3 end))
print(pcall(function() return k1 % k3 end))
print(pcall(function() return k1 & 1.5 end))
print(pcall(function() return k5 & 1 end))
show(math.mininteger // -1, math.mininteger % -1, math.maxinteger * 2)
show(2^63, -2^63, 2^53 + 1, (2^53 + 1) | 0)
show(1e308 * 10, -1e308 * 10, 5 // 0.0, -5 // 0.0, 0/0 ~= 0/0)
show(3 % -2, -3 % 2, 3.5 % -2, -3.5 % 2, 5.0 % math.huge, -5.0 % math.huge)
