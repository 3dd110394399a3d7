-- Integer floor division rounds toward minus infinity.
print(7 // 2, -7 // 2, 7 // -2, -7 // -2)
print(6 // 3, -6 // 3, 0 // 7, 1 // 7, -1 // 7)
print(math.type(7 // 2))
print(math.mininteger // 1, math.maxinteger // -1)
print(math.mininteger // 2, math.maxinteger // 2)
for i = -5, 5 do io.write(i // 3, " ") end
print()
for i = -5, 5 do io.write(i // -3, " ") end
print()
