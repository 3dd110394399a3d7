-- local function can call itself; a plain local assignment cannot see itself.
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(5), fact(20), fact(21))
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local g = function(n) return n end
local g = function(n) if n == 0 then return "outer" end return g(n - 1) end
print(g(3))
local function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(10), even(7))
