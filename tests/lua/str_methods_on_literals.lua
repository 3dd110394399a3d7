-- String values index the string library: s:method() and ("lit"):method().
local s = "Lua"
print(s:len(), s:upper(), s:lower(), s:rep(2), s:sub(2), s:byte(1))
print(("%d-%s"):format(5, "x"), ("abc"):len())
print(#s:rep(3, "|"))
print(s.len == string.len, ("x").upper == string.upper)
