-- bitwise operators on floats with exact integer values, and failures
print(3.0 & 1, 3.0 | 4.0, 6.0 ~ 3, ~0.0, 1.0 << 4, 256.0 >> 4.0)
print(math.type(3.0 & 1), math.type(~0.0))
print(-1.0 & 0xFF, 2^53 | 0, -2^63 | 0, (2^62) >> 61)
local function try(f, ...)
  local ok, e = pcall(f, ...)
  print(ok, e)
end
try(function(a) return a & 1 end, 1.5)
try(function(a) return 1 | a end, 2^63)
try(function(a) return a ~ 1 end, 0/0)
try(function(a) return ~a end, 1/0)
try(function(a) return a << 1 end, -2^63 - 4096)
try(function(a) return a >> 1 end, 1e100)
try(function(a) return a & 1 end, -0.0)
try(function(a, b) return a | b end, 1, 0.5)
local x = 2.5
try(function() return x | 1 end)
try(function() return 1 | x end)
local t = {f = 3.25}
try(function() return t.f & 1 end)
