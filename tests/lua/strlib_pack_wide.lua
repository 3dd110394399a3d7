-- Integers wider than 8 bytes: sign extension when packing, fit check when unpacking.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
for _, n in ipairs{0, 1, -1, -2, math.maxinteger, math.mininteger} do
  for _, f in ipairs{"<i9", ">i12", "<i16", "<I9", ">I16"} do
    local s = string.pack(f, n)
    local ok, v = pcall(string.unpack, f, s)
    print(f, n, hex(s), ok, v)
  end
end
print(pcall(string.unpack, "<i9", ("\0"):rep(8) .. "\1"))
print(pcall(string.unpack, ">i10", "\0\1" .. ("\0"):rep(8)))
print(pcall(string.unpack, "<I9", ("\255"):rep(9)))
print(string.unpack("<i9", ("\255"):rep(9)))
print(string.unpack("<i16", ("\255"):rep(7) .. "\127" .. ("\0"):rep(8)))
print(pcall(string.unpack, "<i16", ("\255"):rep(7) .. "\127" .. ("\0"):rep(7) .. "\128"))
