-- error(msg, level): the position is that of the function `level` levels up.
local function lvl(l) error("at level " .. tostring(l), l) end
local function mid(l) lvl(l) end
local function top(l) mid(l) end
for l = 0, 5 do
  print(l, pcall(top, l))
end
-- a level past the stack gives no position
print(pcall(top, 50))
-- level given as a float with an integer value, or a numeric string
print(pcall(top, 2.0))
print(pcall(top, "2"))
print(pcall(error, "x", 1.5))
-- error from a method and from a field function
local obj = {}
function obj:fail(l) error("method failed", l) end
print(pcall(obj.fail, obj, 1))
print(pcall(function() obj:fail(2) end))
