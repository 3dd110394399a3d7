-- Roman numerals both ways, checked by round trip for 1..3999.
local vals = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
local syms = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
local function to_roman(n)
  local out = ""
  for i, v in ipairs(vals) do
    while n >= v do out = out .. syms[i]; n = n - v end
  end
  return out
end
local digit = {I = 1, V = 5, X = 10, L = 50, C = 100, D = 500, M = 1000}
local function from_roman(s)
  local total = 0
  for i = 1, #s do
    local v, nxt = digit[s:sub(i, i)], digit[s:sub(i + 1, i + 1)]
    if not v then error("bad numeral '" .. s:sub(i, i) .. "'") end
    if nxt and nxt > v then total = total - v else total = total + v end
  end
  return total
end
for _, n in ipairs({1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999}) do io.write(n, "=", to_roman(n), " ") end
print()
local ok = true
local longest = ""
for n = 1, 3999 do
  local r = to_roman(n)
  if from_roman(r) ~= n then ok = false end
  if #r > #longest then longest = r end
end
print(ok, longest, #longest)
print(pcall(from_roman, "XIZ"))
