-- Many values at once; spaces; endianness switches within one format.
local fmt = "<i4 >i4 =h B  b j d s1 z x c3"
local s = string.pack(fmt, 1, 1, -2, 200, -100, math.maxinteger, 0.5, "ab", "cd", "efg")
print(#s)
print(string.unpack(fmt, s))
local t = {string.unpack(("B"):rep(20), ("\7"):rep(20))}
print(#t, t[1], t[20], t[21])
local many = {}
for i = 1, 100 do many[i] = i end
local big = string.pack(("i2"):rep(100), table.unpack(many))
print(#big, select("#", string.unpack(("i2"):rep(100), big)))
print(select(100, string.unpack(("i2"):rep(100), big)))
print(string.pack("i4", 7):len(), ("<I2"):unpack("\1\2"))
print(string.unpack(">I2", "\1\2"), string.unpack("<I2", "\1\2"))
