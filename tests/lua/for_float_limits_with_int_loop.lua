-- An integer loop with a float limit is clipped to integers; huge limits do not overflow.
for i = 1, 3.9 do io.write(i, " ") end print()
for i = 3, 0.5, -1 do io.write(i, " ") end print()
local n = 0
for i = math.maxinteger - 1, 1e100 do n = n + 1 end
print(n)
n = 0
for i = math.mininteger + 1, -1e100, -1 do n = n + 1 end
print(n)
for i = 1, -math.huge do print("never") end
for i = 1, 0/0 do print("never nan") end
for i = 1, math.huge do if i > 3 then break end io.write(i, " ") end print()
