-- Type feedback: a function made hot with integer operands, then given floats, mixed
-- operands, strings and bad values. Every speculated site must fall back to the exact
-- Lua semantics, and the function go on working after being recompiled.
local function f(a, b)
  local s = a + b
  local d = a * b - a
  local q = a / b
  local m = a // b
  local r = a % b
  if a < b then s = s + 1 end
  if a <= 3 then d = d - 1 end
  return s, d, q, m, r
end

local acc = 0
for i = 1, 300 do
  local s, d, q, m, r = f(i, 7)
  acc = acc + s + d + q + m + r
end
print("ints", acc)

local cases = {
  {1.5, 2}, {3, 0.25}, {2 ^ 53, 3}, {"10", 4}, {-7, 2}, {7, -2}, {-7.5, 2},
  {math.mininteger, -1}, {math.maxinteger, 1}, {0.0, -0.0}, {1e308, 1e308},
}
for _, c in ipairs(cases) do
  print(pcall(f, c[1], c[2]))
end

for _, c in ipairs({{nil, 1}, {1, {}}, {"x", 1}, {"10", "4"}}) do
  print(pcall(f, c[1], c[2]))
end

-- Floats for a while (the proc is recompiled), then integers again.
local facc = 0
for i = 1, 300 do
  local s, d = f(i + 0.5, 2)
  facc = facc + s + d
end
print("floats", facc)
local acc2 = 0
for i = 1, 300 do
  local s, d, q = f(i, 3)
  acc2 = acc2 + s + d + q
end
print("ints again", acc2)
