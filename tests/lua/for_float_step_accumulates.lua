-- A float for loop accumulates its step, with the usual rounding.
for x = 0, 1, 0.25 do io.write(x, " ") end print()
for x = 0.1, 0.5, 0.1 do io.write(x, " ") end print()
local n = 0
for x = 0, 1, 0.1 do n = n + 1 end
print(n)
for x = 1, 2 , 0.5 do io.write(math.type(x), " ") end print()
for x = 1.0, 3 do io.write(x, " ") end print()
for x = 1, 3.5 do io.write(x, " ", math.type(x), " ") end print()
for x = 3, 1, -0.5 do io.write(x, " ") end print()
for x = 1, 0, 0.5 do print("never") end
