-- string.sub with negative, zero, huge and float indices.
local s = "abcdef"
local idx = {0, 1, 2, 6, 7, -1, -2, -6, -7, 100, -100, math.maxinteger, math.mininteger}
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do row[#row + 1] = "[" .. s:sub(i, j) .. "]" end
  print(i, table.concat(row))
end
print(s:sub(3), s:sub(-3), s:sub(0), s:sub(math.mininteger))
print(s:sub(2.0, "4"), s:sub("-2"))
print(pcall(s.sub, s))
print(pcall(s.sub, s, 1.5))
print(pcall(s.sub, s, 1, {}))
print(string.sub(123456, 2, 4), string.sub(-1.5, 1, 2), string.sub(2^63, 1, 4))
print(("x"):sub(1, 1), (""):sub(1, 1), (""):sub(0, -1))
