-- Cyclic structures that become garbage, interleaved with live cyclic structures.
local live = {}
for round = 1, 50 do
  local a, b = {}, {}
  a.other, b.other = b, a
  a.self = a
  for i = 1, 50 do a[i] = {parent = a, i} end
  if round % 10 == 0 then live[#live + 1] = a end
end
local s = 0
for _, a in ipairs(live) do
  s = s + #a + (a.other.other == a and 1 or 0) + (a[50].parent == a and 1 or 0) + a[7][1]
end
print(#live, s)
