-- A complex number type: mixed operands (number op complex, complex op number).
local C = {}
local function cx(re, im) return setmetatable({re = re, im = im or 0}, C) end
local function lift(v) if type(v) == "number" then return cx(v, 0) end return v end
C.__add = function(a, b) a, b = lift(a), lift(b) return cx(a.re + b.re, a.im + b.im) end
C.__sub = function(a, b) a, b = lift(a), lift(b) return cx(a.re - b.re, a.im - b.im) end
C.__mul = function(a, b)
  a, b = lift(a), lift(b)
  return cx(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
end
C.__div = function(a, b)
  a, b = lift(a), lift(b)
  local d = b.re * b.re + b.im * b.im
  return cx((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
end
C.__unm = function(a) return cx(-a.re, -a.im) end
C.__eq = function(a, b) return a.re == b.re and a.im == b.im end
C.__tostring = function(a)
  return string.format("%g%+gi", a.re, a.im)
end
local i = cx(0, 1)
print(tostring(i * i), tostring(1 + i), tostring(i + 1), tostring(2 - i), tostring(i - 2))
print(tostring((1 + 2 * i) * (3 - i)), tostring((1 + i) / (1 - i)), tostring(-(1 + i)))
print(i * i == cx(-1), i == cx(0, 1), i * i == -1)
-- operand order: the left operand's handler wins, and gets the operands in source order
local L = setmetatable({}, {__add = function(a, b) return "L(" .. tostring(a == nil) .. ")" end,
                            __sub = function(a, b) return type(a) .. "-" .. type(b) end})
local R = setmetatable({}, {__add = function(a, b) return "R" end})
print(L + R, R + L, 1 + L, L + 1, L - 5, 5 - L)
