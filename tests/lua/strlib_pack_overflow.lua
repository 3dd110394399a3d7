-- Overflow checks of integers smaller than a Lua integer.
local function try(...)
  local ok, e = pcall(string.pack, ...)
  print(ok, ok and #e or e)
end
try("b", 127) try("b", 128) try("b", -128) try("b", -129)
try("B", 255) try("B", 256) try("B", -1)
try("h", 32768) try("H", 65536) try("H", -1)
try("i3", 8388608) try("i3", -8388609) try("I3", 16777216)
try("i4", 2147483648) try("I4", 4294967296) try("i7", 2^55 // 1)
try("i8", math.mininteger) try("I8", -1) try("i16", math.mininteger)
try("i", 3.0) try("i", 3.5) try("i", "10") try("i", "x") try("i", {})
try("i", "0x10") try("I", 2^31)
