-- numeric for loops at the integer extremes, float steps, string bounds and overflow-free iteration counts
for i = math.maxinteger - 10, math.maxinteger, 4 do io.write(i, " ") end print()
for i = math.mininteger + 10, math.mininteger, -4 do io.write(i, " ") end print()
for i = 1, math.maxinteger, math.maxinteger // 2 do io.write(i, " ") end print()
for i = -1, math.mininteger, math.mininteger do io.write(i, " ") end print()
for i = 0.1, 1, 0.3 do io.write(i, " ") end print()
for i = 1, 3 do local j = i; goto c; ::c:: end
local n = 0
for i = 1, 1e3, 0.5 do n = n + 1 end print(n)
for i = 2^62, 2^63, 2^61 do io.write(string.format("%.0f ", i)) end print()
print(pcall(function() for i = 1, 10, 1 // 0 do end end))
local f = 5.0
for i = f, 7 do io.write(math.type(i), " ") end print()
for i = 1, "3" do io.write(i, " ") end print()
print(pcall(function() for i = 1, "x" do end end))
print(pcall(function() for i = nil, 2 do end end))
for i = 3, 1.5, -0.5 do io.write(i, " ") end print()
local t = {}
for i = 1, 3 do t[i] = i end
for i = #t, 1, -1 do io.write(t[i]) end print()
print(math.maxinteger // 1 | 0, 3 | 0 == 3.0)
local i = 9007199254740993
print(i + 0.0 == i, i == i + 0.0, i < i + 0.0, i > i + 0.0, i + 0.0 < i)
print(math.maxinteger + 0.0 > math.maxinteger, math.maxinteger + 0.0 >= math.maxinteger)
print(math.mininteger + 0.0 == math.mininteger, math.mininteger + 0.0 < math.mininteger)
print(-0.0 < 0, 0 < -0.0, 0.0 == -0, 1/0 > math.maxinteger, -1/0 < math.mininteger)
