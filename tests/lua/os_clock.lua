-- os.clock returns CPU seconds as a float that does not go backwards.
local c1 = os.clock()
local x = 0
for i = 1, 200000 do x = x + i end
local c2 = os.clock()
print(math.type(c1), c1 >= 0, c2 >= c1, x)
print(pcall(os.exit, "x"))
print(pcall(os.exit, 1.5))
