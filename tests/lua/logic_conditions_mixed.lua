-- Comparisons as values and as conditions, combined with and/or/not.
local a, b, c = 1, 2, nil
local lt = a < b
local eq = a == b
print(lt, eq, a ~= b, not (a < b), a < b and b < 3, a > b or b > 1)
if a < b and c then print("no") elseif a < b or c then print("yes") end
if not c and not (a > b) then print("both false") end
local x = (a < b) == true
print(x, (a > b) == false, (c == nil) and "nil" or "set")
local n = 0
for i = 1, 10 do if i % 2 == 0 and i % 3 == 0 or i == 7 then n = n + i end end
print(n)
local function between(v, lo, hi) return lo <= v and v <= hi end
print(between(5, 1, 10), between(0, 1, 10), between(10, 1, 10))
while not (n > 100) do n = n * 2 end
print(n)
local r = c == nil and a or b
print(r, nil == false, (nil or false) == false, 1 and nil == nil)
print(1 == 1 == true, "x" == "x" and 1 < 2)
