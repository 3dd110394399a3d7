-- parenthesised calls and varargs yield exactly one value
local function three() return 1, 2, 3 end
local function none() end
print((three()))
print((none()))
print(select("#", (none())), select("#", none()))
print(three(), (three()))
local function vr(...) return (...) end
print(vr(4, 5, 6), select("#", vr()))
local function ret() return (three()) end
print(ret())
local t = {(three())}
print(#t)
print(#{three()}, #{(three())}, #{three(), nil})
-- string.format with truncated arguments
print(string.format("%d %d", (three()), three()))
-- parenthesised expression as a statement prefix
local s = ("abc"):upper()
print(s, ("%d"):rep(2), ("x"):byte())
-- (f)() call through parentheses
print((three)())
local a = {f = three}
print((a.f)())
print((a).f())
-- tail call of a parenthesised call is not a tail call and truncates
local function tc() return (three()) end
print(tc())
-- parenthesised vararg in conditions
local function first_truthy(...) if (...) then return "yes" end return "no" end
print(first_truthy(false, true), first_truthy(1), first_truthy())
