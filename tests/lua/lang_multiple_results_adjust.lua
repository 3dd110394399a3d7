-- adjusting multiple results in every context
local function mr(n) local t = {} for i = 1, n do t[i] = i end return table.unpack(t) end
local function count(...) return select("#", ...) end
print(count(mr(0)), count(mr(3)), count(mr(3), mr(3)), count((mr(3))), count(mr(0), mr(0)))
local a, b, c = mr(2)
print(a, b, c)
a, b, c = mr(5)
print(a, b, c)
a, b, c = mr(0), mr(2)
print(a, b, c)
local t = {mr(3), mr(3), n = mr(3)}
print(#t, t.n)
print(mr(2), mr(2))
print((mr(2)))
print(#{mr(300)}, count(mr(250)))
-- return f() passes through all results; return (f()) only one
local function pass() return mr(4) end
local function one() return (mr(4)) end
print(pass())
print(one())
-- string.format / table.concat receiving expanded lists
print(string.format("%d-%d-%d", mr(3)))
print(math.max(mr(5)), math.min(mr(5)))
-- results of a call used as a condition and in arithmetic use only the first
if mr(0) then print("no") else print("empty is nil") end
print(mr(3) + 10, -mr(2), mr(2) .. "x")
-- generic for with a function returning more than 3 values
for k, v in function(s, i) if i < 2 then return i + 1, "v", "extra" end end, nil, 0 do
  print(k, v)
end
