-- assorted corners: __index with float keys, modulo and floor division signs, string.rep, goto over a block
local t = setmetatable({}, {__index = function(t, k) return k end})
print(t[1], t[2^53])
print(string.format("%5.1f", 3), 10 // 3.0, 2^63 == math.maxinteger + 1.0)
print(math.ult(1, -1), 5 // -0.0, -5 % -0.0 ~= -5 % -0.0)
print(("x"):rep(0), ("x"):rep(-1), #("ab"):rep(3, ","))
for i = 3, 1 do print("never") end
local a = {}
a.x, a.y = 1
print(a.x, a.y)
local s = 0
for i = 10, 1, -3 do s = s + i end
print(s)
print(#"\u{10FFFF}", "\x41\u{42}\67")
print(tostring(1e15), tostring(-1e15), 1e15 == 10^15, 2^24)
print(8 % 3.5, -8 % 3.5, 8 % -3.5, 2^0.5 * 2^0.5 == 2)
print(string.rep("a", 3, ""), ("abc"):byte(-1), ("abc"):sub(0), ("abc"):sub(-100, 100))
goto done
do print("skipped") end
::done::
print(select('#', table.unpack({}, 1, 3)))
print(pcall(string.rep, "x", 1e10))
local x <const> = 10
print(x + 0.5, x * x, x ^ 2, x // 0.0)
print(0x7fffffffffffffff + 1 == math.mininteger, -9223372036854775807 - 1)
print(1 // -math.huge, -1 // math.huge, 0.0 // 1, -0.0 // 1)
print(math.fmod(-6, 4), math.fmod(6, -4), pcall(math.fmod, 1, 0))
print(math.fmod(math.mininteger, -1), math.fmod(1, 0.0) ~= math.fmod(1, 0.0))
