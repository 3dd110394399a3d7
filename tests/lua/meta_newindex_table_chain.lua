-- __newindex tables: the assignment goes to the target table (following its own chain).
local inner = {}
local middle = setmetatable({}, {__newindex = inner})
local outer = setmetatable({}, {__newindex = middle})
outer.x = 1
print(rawget(outer, "x"), rawget(middle, "x"), inner.x)
-- a key present in the middle table stops there
rawset(middle, "y", "old")
outer.y = "new"
print(rawget(outer, "y"), rawget(middle, "y"), inner.y)
-- __newindex function at the end of a chain
local got = {}
local last = setmetatable({}, {__newindex = function(t, k, v) got[#got + 1] = k .. "=" .. v end})
local first = setmetatable({}, {__newindex = last})
first.a = "1"
first.b = "2"
print(#got, got[1], got[2], rawget(first, "a"), rawget(last, "a"))
