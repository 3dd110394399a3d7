-- nan prints with its sign as the C library shows it.
local z = 0
local nan = 0/0
print(nan, -nan, z / z, -(z / z))
print(tostring(nan) == tostring(nan), type(nan), math.type(nan))
print(string.format("%.1f", 1/0), string.format("%5.1f", -1/0))
print(math.huge, -math.huge, math.sqrt(-1) ~= math.sqrt(-1))
