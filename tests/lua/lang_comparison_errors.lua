-- comparison semantics and errors across types
local function try(f, ...) print(pcall(f, ...)) end
try(function(a, b) return a < b end, 1, "2")
try(function(a, b) return a <= b end, "1", 2)
try(function(a, b) return a > b end, {}, {})
try(function(a, b) return a >= b end, nil, 1)
try(function(a, b) return a < b end, true, false)
try(function(a, b) return a < b end, print, print)
try(function(a, b) return a < b end, 1, nil)
try(function(a) return a < 1 end, "x")
try(function(a) return 1 <= a end, {})
local t = {}
try(function() return t < 1 end)
try(function() return t.x < 1 end)
print(1 == "1", "1" == 1, {} == {}, t == t, nil == false, 0 == false, "" == false)
print("a" < "b", "a" < "B", "" < "a", "abc" < "abd", "ab" < "abc", "Z" < "a")
print(1 < 2, 1.5 < 2, 2 < 1.5, -1 < -0.5, 1 <= 1.0, 1.0 >= 1)
print(1 ~= 1.0, "1" ~= 1, math.huge == math.huge, -math.huge < math.mininteger)
