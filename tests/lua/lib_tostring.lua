-- tostring of every printable kind of value.
print(tostring(nil), tostring(true), tostring(false), tostring(0), tostring(-7))
print(tostring(1.5), tostring(1e100), tostring(-0.0), tostring(1/0), tostring(2^63))
print(tostring("s"), tostring(""), #tostring(12345))
print(type(tostring({})), type(tostring(print)))
local ts = tostring({})
print(ts:sub(1, 7) == "table: ", tostring(print):sub(1, 10) == "function: ")
print(pcall(tostring))
print(tostring(1, 2))
