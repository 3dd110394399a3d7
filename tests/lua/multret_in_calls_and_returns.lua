-- Results flow through nested calls and return statements.
local function two() return "a", "b" end
local function ret_all() return two() end
local function ret_paren() return (two()) end
local function ret_mid() return two(), "c" end
print(ret_all())
print(ret_paren())
print(ret_mid())
print(select("#", ret_all()), select("#", ret_paren()), select("#", ret_mid()))
local function id(...) return ... end
print(id(id(id(1, 2, 3))))
print(math.max(two and 3, 1), math.max(id(4, 9, 2)))
print(string.format("%s %s %s", "z", id(1, 2)))
print(pcall(string.format, "%s %s %s", id(1, 2), "z"))
