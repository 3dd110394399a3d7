-- Long strings and escaped newlines normalise CRLF line endings.
local s = [[a
b
cd]]
for i = 1, #s do io.write(s:byte(i), " ") end
print()
local t = "x\
y"
print(#t, t:byte(2))
print("crlf ok")
-- a comment at the very end without newline