-- NaN is unequal to everything, itself included, and every order test is false.
local nan = 0/0
print(nan == nan, nan ~= nan, nan < nan, nan <= nan, nan > nan, nan >= nan)
print(nan < 1, nan > 1, 1 < nan, 1 >= nan, nan == 1)
print(not (nan < 1), not (nan >= 1))
local t = {}
print(pcall(function() t[nan] = 1 end))
print(rawequal(nan, nan), nan ~= nil)
print(math.max(nan, 1) ~= math.max(nan, 1), math.min(1, nan))
