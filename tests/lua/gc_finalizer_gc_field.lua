-- Only a __gc present when setmetatable is called marks an object; the function called
-- is the metatable's __gc at finalization time; a non-function __gc fails silently.
local log = {}
local mt = {}
local a = setmetatable({}, mt)
mt.__gc = function() log[#log + 1] = "a" end
a = nil
collectgarbage()
print("added later:", #log)
local mt2 = {__gc = true}
local b = setmetatable({}, mt2)
mt2.__gc = function() log[#log + 1] = "b" end
b = nil
collectgarbage()
print("replaced:", table.concat(log, " "))
local mt3 = {__gc = 42}
local c = setmetatable({}, mt3)
c = nil
collectgarbage()
print("not a function: still running")
local mt4 = {__gc = function() log[#log + 1] = "d" end}
local d = setmetatable({}, mt4)
mt4.__gc = nil
d = nil
collectgarbage()
print("removed:", table.concat(log, " "))
local e = setmetatable({}, {__gc = function() log[#log + 1] = "e" end})
setmetatable(e, nil)
e = nil
collectgarbage()
print("metatable removed:", table.concat(log, " "))
-- __gc via __index does not count (raw field only)
local f = setmetatable({}, setmetatable({}, {__index = {__gc = function() log[#log + 1] = "f" end}}))
f = nil
collectgarbage()
print("inherited:", table.concat(log, " "))
