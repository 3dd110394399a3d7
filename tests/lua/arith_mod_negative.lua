-- Integer modulo takes the sign of the divisor (a == (a // b) * b + a % b).
print(7 % 3, -7 % 3, 7 % -3, -7 % -3)
print(6 % 3, -6 % 3, 6 % -3)
print(math.mininteger % -1, math.mininteger % 2, math.maxinteger % -2)
for a = -4, 4 do
  for _, b in ipairs({3, -3, 5, -5}) do
    if (a // b) * b + a % b ~= a then print("identity broken", a, b) end
  end
end
for i = -6, 6 do io.write(i % 4, " ") end
print()
print(math.type(5 % 2))
