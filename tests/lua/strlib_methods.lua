-- Every string function through the method form on string values.
local s = "Hello"
print(s:len(), s:sub(2, 3), s:upper(), s:lower(), s:rep(2, "|"), s:reverse())
print(s:byte(1, 2), s:find("l"), s:match("(H)(e)"))
print(s:gsub("l", "L"), s:format())
for w in ("a b c"):gmatch("%a") do io.write(w, ";") end
print()
print(("<i2"):pack(258):byte(1, -1))
print(("<i2"):unpack("\2\1"), ("i4"):packsize())
print(("%5.1f"):format(3.14159), ("x"):rep(3))
print(#string, string.len == s.len, getmetatable("").__index == string)
local mt = getmetatable("")
print(type(mt), rawequal(mt.__index, string))
print(pcall(function() return ("x"):nosuch() end))
print(pcall(function() local t = "x" return t.y end))
