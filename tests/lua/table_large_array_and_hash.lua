-- Many integer and string keys, then deletion.
local t = {}
for i = 1, 10000 do t[i] = i * 2 end
local s = 0
for i = 1, #t do s = s + t[i] end
print(#t, s)
local h = {}
for i = 1, 5000 do h["k" .. i] = i end
local c, hs = 0, 0
for k, v in pairs(h) do c = c + 1; hs = hs + v end
print(c, hs)
for i = 1, 5000, 2 do h["k" .. i] = nil end
c = 0
for _ in pairs(h) do c = c + 1 end
print(c, h.k1, h.k2)
local sparse = {}
sparse[1000000] = "far"
sparse[-5] = "neg"
print(sparse[1000000], sparse[-5], sparse[0])
