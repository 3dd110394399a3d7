-- Every arithmetic and bitwise event, with the operands each handler receives.
local function show(v) return type(v) == "table" and "T" or tostring(v) end
local mt = {}
for _, e in ipairs({"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv",
                    "band", "bor", "bxor", "shl", "shr", "bnot"}) do
  mt["__" .. e] = function(a, b) return e .. "(" .. show(a) .. "," .. show(b) .. ")" end
end
local t = setmetatable({}, mt)
print(t + 1, 2 - t, t * t, t / 3, 4 % t)
print(t ^ 2, -t, t // 5, 6 & t, t | 7)
print(t ~ 8, 9 << t, t >> 10, ~t)
print(1.5 & t, t | "x", "3" + t, t - "4")
-- the result may be any value, including nil and false
local n = setmetatable({}, {__add = function() return nil end, __sub = function() return false end})
print(n + 1, n - 1)
