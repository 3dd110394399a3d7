-- a stripped function's upvalues have no names: messages say (upvalue '?')
local up
local function f() return up.x end
local function f2() up.x = 1 end
local function f3() return up + 1 end
for _, fn in ipairs{f, f2, f3} do
local s = load(string.dump(fn, true))
debug.setupvalue(s, 1, nil)
print(pcall(s))
end
