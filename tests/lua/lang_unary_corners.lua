-- unary operator corners
local mi = math.mininteger
print(-mi, - -mi, -mi == mi, -(mi + 0.0))
print(-0, -0.0, 0 == -0, -0.0 == 0.0, 1 / -0.0, tostring(-0.0))
print(~0, ~-1, ~mi, ~math.maxinteger, ~1.0, ~-0.0, ~2^62)
local function try(f, ...) print(pcall(f, ...)) end
try(function(a) return ~a end, "1")
try(function(a) return -a end, "1")
try(function(a) return -a end, " 0x10 ")
try(function(a) return -a end, "abc")
try(function(a) return -a end, {})
try(function(a) return #a end, 5)
try(function(a) return #a end, nil)
try(function(a) return ~a end, 2^63)
print(not nil, not false, not 0, not "", not not {}, #"", #"\0\0", #{n = 1}, #{1, 2, nil, 4} >= 2)
local s = "hello"
print(-#s, ~#s, - -#s, #s .. "", -s:len())
print(-(2^53), -(1/0), -(-(0/0)) ~= -(-(0/0)))
