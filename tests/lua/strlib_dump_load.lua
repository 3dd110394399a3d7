-- string.dump then load: the loaded function runs and returns the same results.
local function add(a, b) return a + b, a * b end
local f = load(string.dump(add))
print(f(3, 4))
print(type(string.dump(add)), string.dump(add):byte(1) == 27)
local function nested(n, ...)
  local function fact(k) if k <= 1 then return 1 end return k * fact(k - 1) end
  local t = {}
  for i = 1, n do t[i] = fact(i) end
  local g = function(x) return function() return x * 2 end end
  return table.concat(t, ","), select("#", ...), g(21)()
end
local g = load(string.dump(nested))
print(g(6, "a", "b", nil))
print(load(string.dump(nested), "name", "b")(3))
print(load(string.dump(nested), "name", "t"))
-- strings and floats in constants survive
local function consts() return "tab\tnl\n\0zero", 1.5, -0.0, 2^63, math.mininteger, nil, true end
print(load(string.dump(consts))())
-- globals are reached through the first upvalue (_ENV)
X = 10
local function useglobal() return X + 1, type(print) end
print(load(string.dump(useglobal))())
-- strip is accepted
print(load(string.dump(add, true))(5, 6))
-- the dumped string is a plain string
local d = string.dump(add)
print(#d > 0, d == string.dump(add), load(d .. "") ~= nil)
-- dumping the loaded function again works
print(load(string.dump(load(d)))(2, 2))
-- reader-function form of load
local parts, i = {d:sub(1, 5), d:sub(6)}, 0
print(load(function() i = i + 1; return parts[i] end)(7, 8))
-- a main chunk compiled with load, dumped
local chunk = load("local a, b = ... return (a or 1) + (b or 2)")
print(load(string.dump(chunk))(), load(string.dump(chunk))(10, 20))
