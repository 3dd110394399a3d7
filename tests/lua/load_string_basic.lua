-- load of a string chunk: a function, run as often as wanted.
local f = load("return 1 + 2")
print(type(f), f(), f())
print(load("return ...")(1, 2, 3))
print(select('#', load("return")()))
print(load("")())
print(load("local a, b = ...; return b, a", "=swap")("x", "y"))
x = 10
print(load("x = x + 1; return x")())
print(x)
-- numbers are strings to load
print(pcall(load, 42))
-- each load makes a new function
print(load("return 1") == load("return 1"))
-- nested functions and upvalues inside the chunk
local counter = load([[
  local n = 0
  return function() n = n + 1; return n end
]])()
print(counter(), counter(), counter())
-- a chunk can load another
print(load("return load('return 5 * 5')()")())
