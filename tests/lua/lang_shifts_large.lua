-- shifts by >= 64, negative counts, and logical (not arithmetic) right shift
local function sh(a, n)
  return string.format("%d<<%d=%d %d>>%d=%d", a, n, a << n, a, n, a >> n)
end
for _, n in ipairs({0, 1, 31, 32, 62, 63, 64, 65, 100, -1, -63, -64, -65, math.mininteger, math.maxinteger}) do
  print(sh(1, n))
  print(sh(-1, n))
end
print(math.mininteger >> 63, math.mininteger >> 1, -2 >> 1, 5 >> -2, 5 << -1)
print(0xFF >> 4.0, 1 << 63 == math.mininteger, (1 << 63) - 1 == math.maxinteger)
print(0x7fffffffffffffff ~ -1, ~math.mininteger, -1 ~ 0)
print(0xF0 & 0x3C | 0x01 ~ 0x0F, 1 | 2 ~ 3 & 4, 1 << 2 + 3)
print(pcall(function() return 2 .. 1 << 1 end))
