-- The right operand of and/or is evaluated only when needed.
local calls = 0
local function touch(v) calls = calls + 1 return v end
local r = false and touch(1)
print(r, calls)
r = true or touch(2)
print(r, calls)
r = nil or touch(3)
print(r, calls)
r = 1 and touch(4)
print(r, calls)
local t = nil
print(t and t.x)
print(pcall(function() return t.x and 1 end))
if touch(false) and touch(true) then print("no") else print("else", calls) end
