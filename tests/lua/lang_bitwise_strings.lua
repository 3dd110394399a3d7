-- 5.4: strings are not coerced by bitwise operators (the string library has no
-- bitwise metamethods), unlike arithmetic
local function try(f, ...)
  local ok, e = pcall(f, ...)
  print(ok, e)
end
try(function(a) return a & 1 end, "3")
try(function(a) return 1 | a end, "3")
try(function(a) return ~a end, "3")
try(function(a) return a << 1 end, "0x10")
try(function(a) return a >> 1 end, "1.5")
try(function(a) return a ~ 1 end, "abc")
local s = "7"
try(function() return s & 1 end)
try(function() return 1 & s end)
try(function() return ("8") >> 1 end)
try(function(a) return a & 1 end, {})
try(function(a) return 1 & a end, nil)
try(function(a) return a | 1 end, true)
try(function(a) return ~a end, print)
-- arithmetic on the same strings still works
print("3" + 1, "0x10" * 1, "1.5" * 2, "3" // 1, -"2", "10" % 3)
