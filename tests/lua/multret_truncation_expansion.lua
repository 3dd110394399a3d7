-- A call expands to all its results only at the end of a list; elsewhere one value.
local function three() return 1, 2, 3 end
local function none() end
print(three())
print(three(), "end")
print("start", three())
print((three()))
print(three(), three())
print(none(), "x")
print("x", none())
print(select("#", none()), select("#", (none())))
local t = {three(), three()}
print(#t)
local u = {three(), (three())}
print(#u)
local a, b, c, d = three()
print(a, b, c, d)
a, b, c, d = three(), 10
print(a, b, c, d)
print(#{none()}, #{1, none()})
print(1 + three(), three() .. "")
