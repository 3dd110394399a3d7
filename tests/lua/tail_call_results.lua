-- A tail call returns exactly the callee's results.
local function many() return 1, 2, 3 end
local function t1() return many() end
local function t2(f, ...) return f(...) end
print(t1())
print(t2(many))
print(t2(select, 2, "a", "b", "c"))
print(t2(string.rep, "ab", 3))
print(select("#", t2(function() end)))
local function fact(n, acc) acc = acc or 1 if n <= 1 then return acc end return fact(n - 1, acc * n) end
print(fact(10), fact(25))
