-- os.date with every strftime conversion lua accepts, in the C locale, in UTC.
local times = {0, 1234567890, 951782400, 1609459199, -86400 * 365, 4102444800, 1700000000}
local convs = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%"
for _, t in ipairs(times) do
  local parts = {}
  for c in convs:gmatch(".") do
    parts[#parts + 1] = c .. "=" .. os.date("!%" .. c, t)
  end
  print(t, table.concat(parts, "|"))
end
local mods = {"Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI", "Om", "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy"}
for _, m in ipairs(mods) do io.write(m, "=", os.date("!%" .. m, 1234567890), " ") end
print()
print(os.date("!plain text %% and %Y-%m-%d", 86400 * 40))
print(os.date("!", 0) == "", os.date("", 0) == "")
print(os.date("!%c", 0))
print(os.date("%Y-%m-%d %H:%M:%S %Z", 1234567890))
print(os.date("!%H:%M:%S %Z", 1234567890))
