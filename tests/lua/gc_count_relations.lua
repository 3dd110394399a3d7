-- collectgarbage("count") grows with allocation and shrinks after garbage is collected.
collectgarbage()
local base = collectgarbage("count")
local big = {}
for i = 1, 20000 do big[i] = {i} end
local grown = collectgarbage("count")
print("grew", grown > base)
big = nil
collectgarbage()
local after = collectgarbage("count")
print("shrank", after < grown)
local s = {}
for i = 1, 2000 do s[i] = string.rep("x", 100) .. i end
print("strings counted", collectgarbage("count") > after)
s = nil
collectgarbage()
print("strings freed", collectgarbage("count") < after + 100)
