-- Missing arguments are nil, extra arguments are dropped.
local function f(a, b, c) return a, b, c end
print(f(1))
print(f(1, 2, 3, 4))
print(f())
local function count(...) return select("#", ...) end
print(count(f(1)), count(f(1, 2, 3, 4)))
local function g(a, b) a = a or "da"; b = b or "db"; return a .. b end
print(g(), g("x"), g(nil, "y"), g(false, false))
