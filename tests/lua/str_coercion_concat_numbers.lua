-- Numbers become strings in .. and string functions; tostring gives the same text.
print(12 .. "", 12.5 .. "", -0.0 .. "", (2^63) .. "", 1e15 .. "", 0.1 .. "")
print(string.len(12345), string.len(1.5), string.upper(0x10))
print(tostring(1e300 * 1e10), (1e300 * 1e10) .. "")
print((7 // 2) .. "|" .. (7 / 2) .. "|" .. (7 % 2))
