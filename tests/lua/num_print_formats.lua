-- Numbers print exactly as lua5.4's %.14g with a ".0" on integral floats.
print(1e15, 1e16, 1e100, -1e100, 1e-5, 1e-300, 5e-324)
print(0.1, 1/3, 2/3, 100000000000000, 1e14, 123456789012345.0)
print(3.0, -0.0, 0.0, 2^24, 2^53, 2^63, -2^63)
print(1/0, -1/0, 3.14159265358979, 1e15 + 0.5, 12345678901234567)
print(255, -255, 0x7fffffffffffffff, 0xff, 0x1p4, 0x.8, 0xA.8p1)
print(1e308 * 10, -1e308 * 10, 2^-1074, 2^-1075)
print(tostring(10), tostring(10.0), tostring(-0.0), tostring(1e15))
print(0.1 + 0.7, 4.35 * 100, 1.0000000000000002)
