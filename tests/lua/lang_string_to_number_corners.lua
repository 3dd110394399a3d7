-- string->number coercion in arithmetic and tonumber: accepted and rejected spellings
local function c(s)
  local ok, v = pcall(function() return s + 0 end)
  if ok then return tostring(v) .. ":" .. math.type(v) else return "err" end
end
local list = {"0x1.8", "1e+2", "  -0x10  ", "- 1", "0x-1", "1 e2", "infinity", "0b1", "0x1P-2",
  "1E2", ".e1", "0.", "-.5", "+5", "+-5", "0x", "0xG", "1e", "  ", "\n12\t", "12\0", "0x7fffffffffffffff",
  "0x8000000000000000", "-0x8000000000000000", "9223372036854775807", "9223372036854775808",
  "-9223372036854775808", "-9223372036854775809", "1" .. string.rep("0", 30), "0x" .. string.rep("f", 20),
  "00000000000000000000000001", "1.0000000000000000000001", "5e-324", "1e-400", "0x1p99999", "nan", "-inf"}
for _, s in ipairs(list) do io.write(string.format("%q", s), "=", c(s), " ") end
print()
for _, s in ipairs(list) do io.write(tostring(tonumber(s)), " ") end
print()
print(math.tointeger("0x10"), math.tointeger("3.0"), math.tointeger(" 5 "), math.tointeger("x"))
print("10" * "2", "3" ^ "2", "7" // "2.0", "-7" % "3")
print(pcall(function() return "0x10" | 0 end))
