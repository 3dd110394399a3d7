-- .. concatenates strings and numbers (numbers formatted as by tostring).
print("a" .. "b", "a" .. 1, 1 .. "a", 1 .. 2, 1.5 .. "", 2^63 .. "", -0.0 .. "")
print(10 .. "" == "10", 10.0 .. "", 1e100 .. "|", math.mininteger .. "")
local parts = ""
for i = 1, 5 do parts = parts .. i .. "," end
print(parts)
print("x" .. "y" .. "z" .. 1 .. 2.0)
print(pcall(function() return "a" .. {} end))
print(pcall(function() return "a" .. nil end))
print(pcall(function() return true .. "a" end))
local t = {}
print(pcall(function() return t.name .. "!" end))
print(pcall(function() local v; return "x" .. v end))
