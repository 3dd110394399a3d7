-- string.format integer conversions with flags, width and precision.
local f = string.format
print(f("%d|%i|%u", 42, -42, 42))
print(f("[%5d][%-5d][%05d][%+d][% d]", 42, 42, 42, 42, 42))
print(f("[%.3d][%8.3d][%-8.3d][%+.0d]", 7, 7, 7, 0))
print(f("%x|%X|%o|%#x|%#X|%#o", 255, 255, 8, 255, 255, 8))
print(f("%x", -1), f("%X", math.mininteger), f("%o", -1))
print(f("%d %d", math.maxinteger, math.mininteger))
print(f("%d", 3.0), f("%x", 16.0), f("%5.2x", 1))
print(f("%c%c%c", 76, 117, 97), #f("%c", 0), f("[%3c][%-3c]", 65, 66))
print(f("%i", "12"), f("%d", -0))
