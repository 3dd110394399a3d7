-- __eq: only for two tables (never for a table and another type), tried only when the
-- tables differ; either operand's handler; result converted to a boolean.
local calls = 0
local function eqh(a, b) calls = calls + 1 return a.id == b.id end
local A = {__eq = eqh}
local x, y, z = setmetatable({id = 1}, A), setmetatable({id = 1}, A), setmetatable({id = 2}, A)
print(x == y, x == z, x ~= y, x ~= z, calls)
print(x == x, calls)                   -- same object: no call
print(x == 1, 1 == x, x == "s", x == nil, calls)
local plain = {id = 1}
print(x == plain, plain == x, calls)   -- only one side has __eq: it is used
local other = setmetatable({id = 1}, {__eq = function() return "yes" end})
print(x == other, other == x)          -- left operand's handler first
local weird = setmetatable({}, {__eq = function() return nil end})
print(weird == {}, weird ~= {})
local two = setmetatable({}, {__eq = function(a, b) return 0 end})
print(two == {}, {} == two)
-- no handler on either side: identity
print({} == {}, plain == plain)
-- __eq in tables used as keys does not matter: keys are raw
local k1, k2 = setmetatable({}, A), setmetatable({}, A)
local map = {[k1] = "k1"}
print(map[k2], map[k1], k1 == k2)
-- numbers and strings never consult metatables
print(1 == 1.0, "1" == 1, 0.1 + 0.2 == 0.3)
