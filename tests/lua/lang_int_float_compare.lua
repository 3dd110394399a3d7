-- integer/float equality and ordering at 2^53 and 2^63 boundaries (exact, no rounding)
local p53 = 2^53                    -- float
local i53 = 1 << 53                 -- integer
print(p53 == i53, p53 + 1 == i53 + 1, i53 + 1 == p53, i53 + 1 > p53, p53 < i53 + 1)
print(i53 + 1 <= p53, i53 + 1 >= p53, p53 + 1.0 == p53)
local p63 = 2^63
local maxi, mini = math.maxinteger, math.mininteger
print(maxi < p63, maxi <= p63, maxi == p63, p63 > maxi, p63 >= maxi)
print(mini == -p63, mini < -p63, mini <= -p63, -p63 <= mini, mini > -p63)
print(maxi + 0.0 == p63, maxi == maxi + 0.0, maxi < maxi + 0.0)
print(maxi - 1 < maxi + 0.0, (maxi - 512) + 0.0 == p63)
local nan = 0/0
print(nan == nan, nan < 1, nan > 1, 1 < nan, maxi < nan, mini > nan, nan ~= nan)
print(1 == 1.0, -0.0 == 0, 0.5 < 1, 1 < 1.5, -1 > -1.5, 3 <= 3.0, math.huge > maxi, -math.huge < mini)
-- sorting a mix of ints and floats near the boundaries
local t = {p53 + 2.0, i53 + 1, i53 - 1, i53, p63, maxi, mini, 0.5, -0.5, 0}
table.sort(t)
for i = 1, #t do t[i] = string.format("%s:%s", t[i], math.type(t[i])) end
print(table.concat(t, " "))
-- as table keys: floats with integer values normalise to integer keys
local k = {}
k[p53] = "a"
print(k[i53], k[p53], math.type(next(k)))
k = {}
k[2^63] = "big"
print(k[maxi], k[2^63], math.type(next(k)))
k = {}
k[-0.0] = "z"
print(k[0], math.type(next(k)))
k[1.5] = "f"
print(k[1.5], k[3/2])
print(pcall(function() local u = {}; u[0/0] = 1 end))
print(rawequal(1, 1.0), rawequal(p53, i53))
