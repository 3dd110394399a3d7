-- __tostring and __name in tostring and print.
local P = {__tostring = function(p) return "P<" .. p.v .. ">" end}
local p = setmetatable({v = 1}, P)
print(p, tostring(p), type(tostring(p)))
print(tostring(setmetatable({}, {__tostring = function() return 42 end})))
print(tostring(setmetatable({}, {__tostring = function() return 1.5 end})))
print(pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))
print(pcall(tostring, setmetatable({}, {__tostring = function() return nil end})))
print(pcall(print, setmetatable({}, {__tostring = function() return true end})))
-- __name (a string) replaces the type name in the default text
local named = setmetatable({}, {__name = "MyType"})
print((tostring(named):gsub("0x%x+", "ADDR")))
print((tostring(setmetatable({}, {__name = 12})):gsub("0x%x+", "ADDR")))
print(type(named))
-- __tostring wins over __name
print(tostring(setmetatable({}, {__name = "N", __tostring = function() return "ts" end})))
-- errors inside __tostring propagate
print(pcall(tostring, setmetatable({}, {__tostring = function() error("boom") end})))
-- string.format %s uses tostring too
print(string.format("%s|%s", p, 5))
-- concatenation does not use __tostring
print(pcall(function() return "x" .. p end))
