-- os.clock and os.time exist and return numbers; only deterministic facts are printed.
local c1 = os.clock()
local x = 0
for i = 1, 100000 do x = x + i end
local c2 = os.clock()
print(type(c1), c2 >= c1, math.type(c1))
local t = os.time()
print(type(t), math.type(t), t > 1600000000)
print(x)
