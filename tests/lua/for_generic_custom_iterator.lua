-- Generic for with hand-written stateless and stateful iterators.
local function range(n)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i, i * i end
  end
end
for i, sq in range(4) do io.write(i, ":", sq, " ") end print()
local function step(limit, cur)
  cur = cur + 2
  if cur <= limit then return cur end
end
for v in step, 9, -1 do io.write(v, " ") end print()
local function chars(s)
  return function(str, i)
    i = i + 1
    if i <= #str then return i, str:sub(i, i) end
  end, s, 0
end
for i, c in chars("lua") do io.write(i, c, " ") end print()
for a, b, c, d in function(_, x) if not x then return 1, 2, 3, 4 end end do
  print(a, b, c, d)
end
