-- Integer numeric for: bounds inclusive, default step 1, empty ranges.
for i = 1, 5 do io.write(i, " ") end print()
for i = 5, 1, -1 do io.write(i, " ") end print()
for i = 1, 10, 3 do io.write(i, " ") end print()
for i = 10, 1, -4 do io.write(i, " ") end print()
for i = 1, 0 do io.write("never") end
for i = 0, -1 do io.write("never") end
for i = 3, 3 do io.write(i, " ") end print()
for i = 1, 3 do io.write(math.type(i), " ") end print()
for i = -3, 3, 2 do io.write(i, " ") end print()
