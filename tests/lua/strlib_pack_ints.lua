-- Integer options at their edge values, both byte orders, round trips.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
local cases = {
  {"b", -128}, {"b", 127}, {"B", 0}, {"B", 255},
  {"h", -32768}, {"h", 32767}, {"H", 65535},
  {"l", math.mininteger}, {"l", math.maxinteger}, {"L", -1},
  {"j", math.mininteger}, {"J", math.maxinteger}, {"T", 12345},
  {"i", -1}, {"I", 4294967295}, {"i3", -8388608}, {"I3", 16777215},
  {"i1", -1}, {"i7", 2^55 // 1}, {"I7", 72057594037927935},
}
for _, c in ipairs(cases) do
  for _, e in ipairs{"<", ">", "="} do
    local fmt = e .. c[1]
    local s = string.pack(fmt, c[2])
    local v, nx = string.unpack(fmt, s)
    print(fmt, c[2], hex(s), v, nx, #s == string.packsize(fmt))
  end
end
