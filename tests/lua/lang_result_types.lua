-- result types of mixed integer/float arithmetic
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) .. ":" .. (math.type(t[i]) or type(t[i])) end
  print(table.concat(t, " "))
end
show(3 / 1, 2 ^ 2, 7 // 2.0, 7 // 2, 7.5 // 2, 7 % 2.0, 7 % 2, 1 + 1.0, 2 * 3, 2 * 3.0)
show(1e15 + 1, 2^53 + 1, (1 << 53) + 1, 1e15 * 10, 10 // 3, -10 // 3, 10.0 // -3)
show(math.maxinteger + 0.0, math.maxinteger // 1, math.maxinteger / 1, math.mininteger / -1)
show(0 / 1, -0 / 1, 0 / -1, 0.0 / -1, -0.0 * 0, 0 * -1.0)
show(3 % math.huge, -3 % math.huge, 3 % -math.huge, -3 % -math.huge, 3.0 % 0 ~= 3.0 % 0)
show(math.huge // 1, -math.huge // 1, math.huge % 2 ~= math.huge % 2, 5 // math.huge, -5 // math.huge)
show(2^63 // 1, 2^63 % 2, 1e308 + 1e308, -(0/0) ~= 0/0)
show(math.floor(3.7), math.ceil(3.2), math.floor(-0.0), math.floor(2^62 + 0.0), math.floor(1e100))
show(7 // 0.5, 7 % 0.5, 7.25 % 1, -7.25 % 1, 7.25 % -1, 5.3 % 2)
