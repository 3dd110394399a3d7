-- __index and __newindex loops end with lua5.4's error.
local a = {}
setmetatable(a, {__index = a})
print(pcall(function() return a.x end))
local b, c = {}, {}
setmetatable(b, {__newindex = c})
setmetatable(c, {__newindex = b})
print(pcall(function() b.x = 1 end))
-- a long but finite chain works
local top = {found = "deep"}
for i = 1, 100 do top = setmetatable({}, {__index = top}) end
print(top.found, top.missing)
