-- pcall returns non-string error values as they are: same table, no position added.
local t = {}
local ok, e = pcall(error, t)
print(ok, e == t)
ok, e = pcall(function() error(t, 2) end)
print(ok, e == t)
print(pcall(error, 42))
print(pcall(error, 4.5))
print(pcall(error, true))
print(pcall(error, false))
print(pcall(error, nil))
print(pcall(error))
print(select('#', pcall(error)))
local f = function() end
ok, e = pcall(error, f)
print(ok, e == f)
-- numbers are not strings here: no position is added
print(pcall(function() error(7) end))
-- a string gets the position
print(pcall(function() error("s") end))
print(pcall(function() error("s", 0) end))
