-- The raw functions bypass every metamethod.
local log = {}
local mt = {
  __index = function(_, k) log[#log + 1] = "index " .. k return "meta" end,
  __newindex = function(_, k) log[#log + 1] = "newindex " .. k end,
  __eq = function() log[#log + 1] = "eq" return true end,
  __len = function() log[#log + 1] = "len" return 99 end,
}
local a, b = setmetatable({1, 2}, mt), setmetatable({}, mt)
print(rawget(a, "x"), rawget(a, 1), a.x)
rawset(a, "x", "raw")
print(a.x, rawget(a, "x"))
b.y = 1
print(rawget(b, "y"))
print(rawequal(a, b), a == b, rawequal(a, a), rawequal(1, 1.0), rawequal("a", "a"))
print(rawlen(a), #a, rawlen("four"))
print(table.concat(log, ", "))
print(pcall(rawget, 1, 2))
print(pcall(rawset, {}, nil, 1))
print(pcall(rawequal, 1))
print(select("#", rawset(a, "k", "v")), rawset(a, "k", "v") == a)
