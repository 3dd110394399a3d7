-- setmetatable/getmetatable argument checking.
local function try(...) print(select(2, pcall(...))) end
try(setmetatable, {}, 1)
try(setmetatable, {}, "x")
try(setmetatable, {})
try(setmetatable, 1, {})
try(setmetatable, nil, {})
try(setmetatable)
try(getmetatable)
local t = {}
print(setmetatable(t, {}) == t, setmetatable(t, nil) == t)
print(select("#", setmetatable({}, nil)), select("#", getmetatable({})))
try(function() setmetatable("s", {}) end)
