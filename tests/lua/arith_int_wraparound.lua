-- Integer arithmetic wraps around modulo 2^64.
local max, min = math.maxinteger, math.mininteger
print(max + 1 == min, max + 1)
print(min - 1 == max, min - 1)
print(max * 2, min * 2, max * max)
print(-min, -min == min)
print(min // -1, min % -1)
print(0x7fffffffffffffff + 0x7fffffffffffffff)
print(0xffffffffffffffff, 0x10000000000000000)
print(9223372036854775807, 9223372036854775808)
print(-9223372036854775808, math.type(-9223372036854775808))
local a = 3037000500
print(a * a, math.type(a * a))
