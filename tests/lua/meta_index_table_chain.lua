-- __index tables chain: lookups walk the chain until a raw value is found.
local A = {a = 1, shared = "A"}
local B = setmetatable({b = 2, shared = "B"}, {__index = A})
local C = setmetatable({c = 3}, {__index = B})
local obj = setmetatable({}, {__index = C})
print(obj.a, obj.b, obj.c, obj.shared, obj.missing)
obj.a = 10
print(obj.a, A.a, rawget(obj, "a"), rawget(obj, "b"))
-- a nil raw value still consults __index; false does not
local t = setmetatable({x = false}, {__index = function() return "meta" end})
print(t.x, t.y, t[1], t[2.0])
-- changing a metatable in the middle of a chain is seen at once
getmetatable(B).__index = {a = "new A"}
print(obj.a, obj.b, obj.shared)
-- integer keys through the chain
local arr = setmetatable({}, {__index = {10, 20, 30}})
local s = 0
for i = 1, 3 do s = s + arr[i] end
print(s, arr[4], #arr)
