-- __concat on either side, in chains, with numbers, and the result replacing the pair.
local function show(v) return type(v) == "table" and (v.tag or "T") or tostring(v) end
local C = {__concat = function(a, b) return "[" .. show(a) .. "|" .. show(b) .. "]" end}
local c = setmetatable({tag = "c"}, C)
print(c .. "s", "s" .. c, 1 .. c, c .. 2.5, c .. c)
print("a" .. "b" .. c)
print(c .. "a" .. "b")
print("a" .. c .. "b")
print("x" .. c .. "y" .. c .. "z")
-- a handler returning a table: the next pair sees that table
local T = {}
T.__concat = function(a, b)
  return setmetatable({tag = "(" .. show(a) .. "+" .. show(b) .. ")"}, T)
end
local t = setmetatable({tag = "t"}, T)
local r = "p" .. t .. "q" .. t
print(type(r), r.tag)
-- the right operand's handler when the left has none
local left = {tag = "plain"}
print(pcall(function() return left .. c end))
print(select(2, pcall(function() local q = {} return c .. q end)))
-- numbers are formatted as by tostring
print(1 .. "", 1.0 .. "", -0.0 .. "", 2^63 .. "", 10 // 3 .. "|" .. 10 / 4)
