-- # on proper sequences, growing and shrinking at the end.
local t = {}
print(#t)
for i = 1, 100 do t[i] = i end
print(#t)
t[#t] = nil
print(#t)
t[#t + 1] = "x"
print(#t, t[100])
for i = 100, 51, -1 do t[i] = nil end
print(#t)
print(#{1, 2, 3}, #{"a"}, #{n = 1}, #{1, 2, x = 3})
local u = {}
u[1] = 1; u[2] = 2; u[3] = 3
print(#u, rawlen(u), rawlen("abcd"))
print(pcall(rawlen, 5))
