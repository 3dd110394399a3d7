-- string.sub with positive, negative, out-of-range and default indices.
local s = "hello world"
print(s:sub(1, 5), s:sub(7), s:sub(-5), s:sub(-5, -2), s:sub(0), s:sub(3, 2))
print("[" .. s:sub(100) .. "]", "[" .. s:sub(-100, 2) .. "]", s:sub(2, 100))
print(s:sub(math.mininteger, math.maxinteger), ("[" .. s:sub(5, 4) .. "]"))
print(string.sub("abc", 2.0, 3), string.sub("abc", "2"))
print(pcall(string.sub, "abc", 1.5))
print(pcall(string.sub, "abc", {}))
print(pcall(string.sub))
