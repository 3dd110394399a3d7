-- string.dump(f, true) drops line tables, local and upvalue names, and the source name
local up
local function f() return up.x end
local function g(a) local b = a; return b.x end
local function h() return undefinedglobal.x end
local function e() error("boom") end
local function e2() error("boom", 2) end
local function arith(a, b) local c = a + 1 return c + b.x end
for _, fn in ipairs{f, g, h, e, arith} do
  print(pcall(load(string.dump(fn, true)), 1, {}))
  print(pcall(load(string.dump(fn, false)), 1, {}))
end
print(pcall(load(string.dump(arith, true)), 1))
print(pcall(load(string.dump(e2, true))))
-- a stripped function keeps working
local function fib(n) if n < 2 then return n end local a, b = 0, 1 for _ = 2, n do a, b = b, a + b end return b end
local sfib = load(string.dump(fib, true))
print(sfib(30), #string.dump(fib, true) < #string.dump(fib))
-- nested functions are stripped too
local function outer()
  local x = 10
  return function(y) return x + y.z end
end
local souter = load(string.dump(outer, true))
print(pcall(souter(), {z = 1}))
print(pcall(souter(), {}))
-- debug information of a stripped function
local info = debug.getinfo(sfib, "Sl")
print(info.source, info.short_src, info.what, info.linedefined, info.lastlinedefined, info.currentline)
print(debug.getlocal(sfib, 1), debug.getlocal(fib, 1))
print(next(debug.getinfo(sfib, "L").activelines))
local lines = load(string.dump(function() return debug.getinfo(1, "l").currentline end, true))
print(lines())
local main = load(string.dump(load("local a = 1\nreturn debug.getinfo(1,'S').source, debug.getinfo(1,'S').what, a"), true))
print(main())
local tb = load(string.dump(function() return debug.traceback("tb", 1) end, true))
print(tb())
-- a stripped dump can be dumped again (stripped or not) and loaded
local again = load(string.dump(sfib, false))
print(again(10), debug.getinfo(again, "S").source)
-- the upvalue of a loaded stripped function has no name
local function useup() return up end
local n, v = debug.getupvalue(load(string.dump(useup, true)), 1)
print(n, v == _G)
