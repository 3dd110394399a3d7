-- while tests before each iteration; break leaves the innermost loop.
local i, sum = 0, 0
while i < 10 do i = i + 1; sum = sum + i end
print(i, sum)
while false do print("never") end
local n = 0
while true do
  n = n + 1
  if n > 5 then break end
end
print(n)
local out = ""
local a = 0
while a < 3 do
  a = a + 1
  local b = 0
  while true do
    b = b + 1
    if b > a then break end
    out = out .. a .. b .. " "
  end
end
print(out)
