-- debug.setmetatable gives all numbers one metatable (integers and floats share it)
print(getmetatable(1), getmetatable(1.5))
local mt = {
  __index = function(n, k) return k .. ":" .. n end,
  __call = function(n, ...) return n * select("#", ...) end,
  __concat = function(a, b) return "cat" end,
  __len = function(n) return n + 100 end,
  __name = "Number",
}
print(debug.setmetatable(10, mt))
print(getmetatable(1) == mt, getmetatable(2.5) == mt, getmetatable(math.huge) == mt)
print((5).foo, (2.5).bar, (7)(1, 2, 3), #(3))
local n = 4
print(n.x, n(9), #n)
-- number arithmetic and concatenation never consult the metatable
print(1 + 2, 3 .. 4, 2 ^ 2, 7 // 2)
-- operations with a non-number operand find the number's metamethod first
mt.__add = function(a, b) return "nadd" end
mt.__lt = function(a, b) return true end
mt.__eq = function() return true end
print(1 + {}, {} + 1, 1 + "x", pcall(function() return 1 + nil end))
print(1 < {}, pcall(function() return 1 < "x" end))
print(1 == 2, 1 == {})
-- tostring ignores __name for numbers, __tostring is honoured
print(tostring(12))
mt.__tostring = function(n) return "N" end
print(tostring(12), 12)
mt.__tostring = nil
-- rawequal, rawlen and type are unaffected
print(type(1), rawequal(1, 1.0), pcall(rawlen, 1))
-- __metatable protects getmetatable only
mt.__metatable = "no"
print(getmetatable(1), debug.getmetatable(1) == mt)
print(debug.setmetatable(1, nil), getmetatable(1))
print(pcall(function() return (1).x end))
