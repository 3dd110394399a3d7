-- break exits only the innermost loop, in every kind of loop.
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then break end
    io.write(i, ":", j, " ")
  end
end
print()
local t = {"a", "b", "c", "d"}
for i, v in ipairs(t) do
  if v == "c" then break end
  io.write(i, v, " ")
end
print()
local n = 0
repeat
  n = n + 1
  while true do break end
  if n == 3 then break end
until false
print(n)
for i = 1, 10 do
  local f = function() return i end
  if i == 2 then print(f()) break end
end
