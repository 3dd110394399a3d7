-- A hot loop entered natively whose values change kind part way: integer to float, and
-- a comparison whose operands become floats then strings.
local x = 0
for i = 1, 1000 do
  if i == 500 then x = x + 0.5 end
  x = x + 1
end
print(x, math.type(x))

local count, limit = 0, 600
for i = 1, 1000 do
  local v = i
  if i > 700 then v = i + 0.25 end
  if v < limit then count = count + 1 end
end
print(count)

local ok, err = pcall(function()
  local n = 0
  for i = 1, 1000 do
    local v = i
    if i == 900 then v = "900" end
    if v < 950 then n = n + 1 end
  end
  return n
end)
print(ok, err)

local t = {}
for i = 1, 1000 do
  local k = i % 7
  t[k] = (t[k] or 0) + (i % 3 == 0 and 0.5 or 1)
end
for k = 0, 6 do io.write(tostring(t[k]), " ") end
print()
