-- A call or ... at the end of a constructor expands; elsewhere it gives one value.
local function three() return "a", "b", "c" end
local t = {three()}
print(#t, t[1], t[3])
t = {three(), three()}
print(#t, t[1], t[2], t[4])
t = {(three())}
print(#t)
t = {three(), x = 1}
print(#t)
t = {x = 1, three()}
print(#t, t[3])
local function f(...) return {...}, {..., "end"}, {"start", ...} end
local a, b, c = f(1, 2, 3)
print(#a, #b, b[2], #c, c[4])
t = {three(), nil}
print(t[1], t[2])
