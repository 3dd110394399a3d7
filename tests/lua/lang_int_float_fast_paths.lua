-- engine fast paths with constant operands at integer/float boundaries
local function f(x)
  return x // -1, x % -1, x * -1, x - 1, x + 1, x << 64, x >> -1, x << -64, x >> 63, x // 2.0, x % 2.0
end
for _, v in ipairs({math.mininteger, math.maxinteger, 0, -1, 1}) do print(f(v)) end
local function g(x)
  return x < 2^53, x <= 2^53, x == 2^53, x > 2^53, x >= 2^53, x < 2^63, x == -2^63, x > -2^63
end
for _, v in ipairs({(1 << 53) - 1, 1 << 53, (1 << 53) + 1, math.maxinteger, math.mininteger}) do
  print(g(v))
end
local function h(x)
  return x == 1, x ~= 1, x < 1, 1 < x, x <= 1.5, 1.5 <= x, x == "1", x + 0.5, x * 2.5, x / 2
end
for _, v in ipairs({1, 1.0, 2^63, -0.0, 0/0}) do print(h(v)) end
local function k(x, y) return x // y, x % y end
for i = 1, 3 do
  print(pcall(k, 7, 0))
  print(pcall(k, 7.0, 0))
  print(pcall(k, math.mininteger, -1))
  print(pcall(k, -7, 2))
  print(pcall(k, 7, -2.0))
end
local function loop(n)
  local s = 0
  for i = 1, n do s = s + i * i end
  return s
end
print(loop(1000), loop(3037000499 // 1000000))
local acc = math.maxinteger - 5
for i = 1, 10 do acc = acc + 1 end
print(acc)
local facc = 2^53 - 2
for i = 1, 4 do facc = facc + 1 end
print(facc, string.format("%.0f", facc))
