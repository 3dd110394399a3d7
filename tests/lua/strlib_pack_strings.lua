-- s[n], z and cN: packing, unpacking and their checks.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
for _, f in ipairs{"s", "s1", ">s2", "<s3", "s4", "s8", ">s16", "z", "c5", "c0"} do
  local v = f == "c0" and "" or "hey"
  local s = string.pack(f, v)
  print(f, hex(s), string.unpack(f, s))
end
print(hex(string.pack("s1", ("a"):rep(255))):sub(1, 4))
print(pcall(string.pack, "s1", ("a"):rep(256)))
print(pcall(string.pack, "s2", ("a"):rep(65536)))
print(pcall(string.pack, "z", "a\0b"))
print(pcall(string.pack, "c2", "abc"))
print(hex(string.pack("c4", "ab")))
print(string.unpack("z", "abc\0def\0", 5))
print(pcall(string.unpack, "z", "abc"))
print(pcall(string.unpack, "s1", "\5abc"))
print(pcall(string.unpack, "c4", "abc"))
print(string.pack("s", 42), string.pack("z", 1.5))
print(string.unpack("zz", "\0\0"))
print(pcall(string.unpack, "<s9", "\1\0\0\0\0\0\0\0\1x"))
print(string.unpack("<s9", "\1\0\0\0\0\0\0\0\0x"))
print(pcall(string.pack, "c"))
print(pcall(string.pack, "s", nil))
print(pcall(string.pack, "z", {}))
