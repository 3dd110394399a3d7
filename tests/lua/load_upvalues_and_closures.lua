-- Loaded chunks are closures like any other: separate state per load.
local src = "local n = 0; return function() n = n + 1; return n end"
local a, b = load(src)(), load(src)()
print(a(), a(), b())
-- a loaded chunk cannot see the loader's locals
local secret = "hidden"
print(load("return secret")())
secret_global = "visible"
print(load("return secret_global")())
-- recursion inside a loaded chunk
print(load("local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end return fib(15)")())
-- varargs of the main chunk
print(load("return select('#', ...), ...")(nil, nil, 3))
-- a loaded function used as a method
local obj = {v = 3, get = load("local self = ...; return self.v")}
print(obj:get())
