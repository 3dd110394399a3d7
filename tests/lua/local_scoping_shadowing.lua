-- Locals are block scoped; inner declarations shadow outer ones.
local x = 1
do
  local x = 2
  print(x)
  do local x = x + 1; print(x) end
  print(x)
end
print(x)
local x = x * 10
print(x)
local a, b, c = 1
print(a, b, c)
local d, e = 1, 2, 3
print(d, e)
local f
print(f)
if true then local g = 5 end
print(g)
