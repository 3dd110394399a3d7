-- integer wraparound and integer division / modulo corners
local maxi, mini = math.maxinteger, math.mininteger
print(maxi + 1, mini - 1, maxi * 2, mini * -1, -mini, mini * mini)
print(maxi + 1 == mini, maxi + 1.0 == 2^63, math.type(maxi + 1.0))
print(mini // -1, mini % -1, mini // 1, mini % 1)
print(maxi // -1, maxi % -1, mini // 2, mini % 2, mini // 3, mini % 3)
print(mini // mini, mini % mini, maxi // mini, maxi % mini, mini // maxi, mini % maxi)
print(7 // -2, -7 // 2, 7 % -2, -7 % 2, -7 // -2, -7 % -2)
print(7.0 // -2, -7 // 2.0, 7 % -2.0, -7.0 % 2, 0.0 // -1, -0.0 % 1)
local function try(f) print(pcall(f)) end
local zero = 0
try(function() return 1 // zero end)
try(function() return 1 % zero end)
try(function() return mini // zero end)
print(1 // 0.0, -1 // 0.0, 0 // 0.0 ~= 0 // 0.0, 1 % 0.0 ~= 1 % 0.0, 1 % math.huge, -1 % math.huge)
print(math.abs(mini), math.abs(maxi), mini == -mini)
print(math.tointeger(2^63), math.tointeger(-2^63), math.tointeger(2^53), math.tointeger("8"))
print(string.format("%d", -0x8000000000000000))
