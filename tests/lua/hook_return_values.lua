-- Return hooks leave results, varargs and multiple results alone.
local r = 0
debug.sethook(function() r = r + 1 end, "r")
local function many(...) return ... end
local function two() return 1, 2 end
local t = {many(1, 2, 3)}
local a, b, c = two()
local s = select("#", many(nil, nil))
debug.sethook()
print(#t, t[1], t[3], a, b, c, s, r > 0)
