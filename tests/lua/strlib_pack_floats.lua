-- f, d, n at edge values in both byte orders.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
local vals = {0.0, -0.0, 1.5, -2.25, 1/0, -1/0, 1e300, 2^-1074, 3, "2.5", 0.1}
for _, v in ipairs(vals) do
  for _, f in ipairs{"<f", ">f", "<d", ">d", "<n", ">n", "=d"} do
    local s = string.pack(f, v)
    local r, nx = string.unpack(f, s)
    print(f, v, hex(s), string.format("%.17g", r), math.type(r), nx)
  end
end
local nan = string.unpack("<d", string.pack("<d", 0/0))
print(nan ~= nan)
print(string.unpack("<f", string.pack("<f", 1e40)))
print(string.format("%.17g", string.unpack("<f", string.pack("<f", 0.1))))
print(pcall(string.pack, "d", "abc"))
print(pcall(string.pack, "f"))
