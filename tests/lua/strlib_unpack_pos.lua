-- unpack's position argument: negative, zero, end of string, past the end.
local s = string.pack("<i2i2i2", 1, 2, 3)
for _, pos in ipairs{1, 3, 5, 7, 0, -2, -4, -6, -7, -100, math.mininteger} do
  print(pos, pcall(string.unpack, "<i2", s, pos))
end
print(pcall(string.unpack, "<i2", s, 8))
print(pcall(string.unpack, "<i2", s, math.maxinteger))
print(string.unpack("", s, 7))
print(string.unpack("", "", 1))
print(pcall(string.unpack, "", "", 2))
print(string.unpack("<i2", s, "3"))
print(string.unpack("<i2 x i2", s))
-- walking a buffer with the returned positions
local buf = string.pack(">s1 i4 z d", "name", -7, "zed", 2.5)
local pos, out = 1, {}
for _, f in ipairs{">s1", ">i4", "z", ">d"} do
  local v
  v, pos = string.unpack(f, buf, pos)
  out[#out + 1] = tostring(v)
end
print(table.concat(out, " "), pos, #buf)
