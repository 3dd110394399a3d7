-- '!' and 'X' alignment, 'x' padding.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
local fmts = {
  "!bi", "!4 b i8", "!2 b d", "!bXi", "!8 b Xi8", "bXi", "!4 b Xh", "! b j",
  "!16 b i16", "b x x h", "!4 i2 b i2", "!8 b Xd b", "!1 b d", "! z b i",
  "!4 c3 i", ">!4 h i", "<!8 b f d",
}
for _, f in ipairs(fmts) do
  local args = {}
  local n = 0
  for c in f:gsub("!%d*", ""):gsub("X.", ""):gmatch("[bhijdfzc]") do
    n = n + 1
    args[n] = (c == "z" or c == "c") and "ab" or n
  end
  local s = string.pack(f, table.unpack(args, 1, n))
  local ok, size = pcall(string.packsize, f)
  print(f, hex(s), ok, size, string.unpack(f, s))
end
print(pcall(string.pack, "!3 b i4", 1, 2))
print(pcall(string.pack, "!8 b i3", 1, 2))
print(pcall(string.pack, "!4 i3", 1))
print(pcall(string.pack, "X"))
print(pcall(string.pack, "Xc1"))
print(pcall(string.pack, "bXz", 1))
print(pcall(string.pack, "Xy"))
print(pcall(string.packsize, "!17"))
print(pcall(string.packsize, "!0"))
print(string.packsize("!"), string.packsize("!4 Xi8"), string.packsize("b!4Xi"))
print(pcall(string.packsize, "!8 bXXi8"), string.packsize("!8 bXi8"))
