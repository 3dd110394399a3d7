-- Assigning to the loop variable does not change the iteration; the limit is read once.
for i = 1, 3 do
  io.write(i, " ")
  i = i * 10
  io.write(i, " ")
end
print()
local limit = 3
for i = 1, limit do limit = 10; io.write(i, " ") end
print(limit)
local step = 1
for i = 1, 5, step do step = 2; io.write(i, " ") end
print()
