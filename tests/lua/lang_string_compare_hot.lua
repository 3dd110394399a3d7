-- string comparisons with embedded zeros and high bytes, and int/float comparisons, in hot loops
local strs = {"a\0b", "a\0c", "a", "a\0", "", "\0", "\xff", "\x7f", "ab", "b"}
local lt, le, eq = 0, 0, 0
for r = 1, 200 do
  for i = 1, #strs do
    for j = 1, #strs do
      if strs[i] < strs[j] then lt = lt + 1 end
      if strs[i] <= strs[j] then le = le + 1 end
      if strs[i] == strs[j] then eq = eq + 1 end
    end
  end
end
print(lt, le, eq)
local total = 0
for i = 1, 300 do total = total + #("x\0y"):rep(i % 5) end
print(total)
local mixed = 0
for i = 1, 1000 do
  local a, b = i, i + 0.0
  if a == b then mixed = mixed + 1 end
  if a < b + 0.5 then mixed = mixed + 1 end
  if (1 << 53) + i > 2^53 then mixed = mixed + 1 end
end
print(mixed)
