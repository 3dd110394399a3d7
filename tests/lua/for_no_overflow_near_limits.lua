-- Loops near maxinteger/mininteger stop without wrapping around.
local max, min = math.maxinteger, math.mininteger
for i = max - 2, max do io.write(i, " ") end print()
for i = min + 2, min, -1 do io.write(i, " ") end print()
local n = 0
for i = max - 10, max, 7 do n = n + 1; io.write(i, " ") end print(n)
n = 0
for i = min, min + 5, 3 do n = n + 1 end print(n)
n = 0
for i = 1, max, max do n = n + 1; io.write(i, " ") end print(n)
n = 0
for i = -1, min, min do n = n + 1; io.write(i, " ") end print(n)
n = 0
for i = max, max - 1 do n = n + 1 end print(n)
for i = 0, 2^63 - 1, 2^62 do io.write(i, " ") end print()
