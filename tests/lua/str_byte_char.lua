-- string.byte and string.char, including ranges and bad values.
print(("A"):byte(), ("ABC"):byte(2), ("ABC"):byte(1, 3), ("ABC"):byte(-1))
print(("ABC"):byte(10), select("#", ("ABC"):byte(10)), select("#", ("ABC"):byte(3, 1)))
print(string.char(72, 105), string.char(), #string.char(0, 255))
local s = ""
for i = 97, 122 do s = s .. string.char(i) end
print(s)
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, "x"))
print(string.char("65", 66.0))
