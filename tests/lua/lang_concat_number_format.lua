-- number to string conversion in concatenation (LUAI_NUMFFORMAT "%.14g", floats keep ".0")
local vals = {1, -1, 0, 1.0, -0.0, 0.1, 1/3, 100.0, 1e14, 1e15, 1e16, 123456789012345.0,
  1234567890123456.0, 2^53, 2^63, -2^63, math.maxinteger, math.mininteger, 1e100, 1e-5,
  1.5e-10, 1/0, -1/0, 3.14159265358979, 255 / 256, 2^-1074, 1.7976931348623157e308}
local out = {}
for i, v in ipairs(vals) do out[#out + 1] = v .. "" end
print(table.concat(out, " "))
print(1 .. 2, 1.0 .. 2, 1 .. 2.0, -1 .. -2, 0x10 .. "", 1e2 .. "")
print(("x"):rep(3, 1.0), ("%s|%s"):format(1.0, -0.0), tostring(2^31), 2^31 | 0)
local nan = 0/0
print(tostring(nan) == tostring(nan), (nan .. ""):find("nan") ~= nil)
-- concatenation of many numbers at once
print(1 .. 2 .. 3.0 .. 4 .. -5 .. 6.5)
