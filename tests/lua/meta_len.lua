-- __len: tables (handler result returned as is), strings never.
local t = setmetatable({1, 2, 3}, {__len = function(self, other)
  return "len:" .. rawlen(self) .. ":" .. tostring(self == other)
end})
print(#t, rawlen(t))
local n = setmetatable({}, {__len = function() return 42.5 end})
print(#n, #n + 1)
local nothing = setmetatable({}, {__len = function() end})
print(#nothing)
-- a metatable without __len: the border
local plain = setmetatable({1, 2}, {})
print(#plain)
-- strings: always the byte length, even through the string metatable
print(#"hello", #"", ("abc"):len(), rawlen("xyz"))
-- errors
print(pcall(function() local b = true return #b end))
print(pcall(function() return #nil end))
print(pcall(function() local x = 5 return #x end))
print(pcall(function() local N = setmetatable({}, {__name = "Thing"}) return #N end))
print(pcall(rawlen, 5))
print(pcall(rawlen))
