-- The / operator always produces a float, even for exact integer quotients.
print(4 / 2, math.type(4 / 2))
print(7 / 2, -7 / 2)
print(1 / 3)
print(0 / 5, -0 / 5, 0 / -5)
print(math.maxinteger / 1)
print(10 / 4.0, 10.0 / 4)
print(1 / 0, -1 / 0)
local z = 0
print(z / z ~= z / z)
print(3 / 0.5, 2^53 / 2)
