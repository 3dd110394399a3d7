-- string.dump's argument checks.
print(pcall(string.dump, print))
print(pcall(string.dump, string.dump))
print(pcall(string.dump))
print(pcall(string.dump, 1))
print(pcall(string.dump, {}))
print(pcall(string.dump, "f"))
print(select(2, pcall(function() return string.dump(nil) end)))
print(select(2, pcall(function() return string.dump(true) end)))
-- a truncated dump does not load
local d = string.dump(function() return 1 end)
local f, msg = load(d:sub(1, 10))
print(f, msg ~= nil)
string.dump(math.sin)
