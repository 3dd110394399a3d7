-- ^ always produces a float.
print(2 ^ 10, math.type(2 ^ 10))
print(2 ^ 0.5, 2 ^ -1, (-8) ^ (1/3) ~= (-8) ^ (1/3))
print(2 ^ 53, 2 ^ 63, 2 ^ 64, 10 ^ 15, 10 ^ 16)
print(0 ^ 0, 0 ^ -1, (-2) ^ 2, -2 ^ 2)
print(2 ^ 3 ^ 2, (2 ^ 3) ^ 2)
print(1e308 ^ 2, (-1e308) ^ 3)
