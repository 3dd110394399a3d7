-- Numeric literal forms: decimal, hex, exponents, hex floats, overflowing integers.
print(0, 00, 010, 1e0, 1E2, .5, 5., 3e-2, 0x0, 0XfF, 0xA, 0x.1, 0x1P-2, 0x1p+4)
print(math.type(1), math.type(1.0), math.type(1e2), math.type(0x10), math.type(0x1p4))
print(9223372036854775807, 9223372036854775808, 18446744073709551616)
print(math.type(9223372036854775807), math.type(9223372036854775808))
print(0xffffffffffffffff, 0x1ffffffffffffffff, 0x8000000000000000)
print(1e309, -1e309, 2e-400)
print(3 == 3.0, 0x10 == 16, 1e2 == 100)
