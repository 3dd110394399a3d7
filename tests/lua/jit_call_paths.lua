-- Lua-to-Lua calls made by compiled code: fixed and varying argument and result
-- counts, callees that are not compiled or cannot be called inline, and calls through
-- upvalues that change while the callers run.

local function add(a, b) return a + b end
local function three(a) return a, a * 2, a * 3 end
local function nine(a)
  return a, a + 1, a + 2, a + 3, a + 4, a + 5, a + 6, a + 7, a + 8
end
local function none() end
local function varargs(...) return select('#', ...), ... end
local function makes_closure(x) local f = function() return x end return f() end

local s = 0
for i = 1, 200 do
  s = s + add(i, 1)
  local x, y, z = three(i)
  s = s + x + y + z
  local a1, a2, a3, a4, a5, a6, a7, a8, a9 = nine(i)
  s = s + a1 + a9 + a5
  local p, q = none()
  if p ~= nil or q ~= nil then s = -1 end
  local n, v1, v2 = varargs(i, i + 1)
  s = s + n + v1 + v2
  s = s + makes_closure(i)
  -- Fewer arguments than parameters, more results wanted than returned.
  local m1, m2 = add(i, 0), three(1)
  s = s + m1 + m2
  local t1, t2, t3, t4 = three(i)
  if t4 ~= nil then s = -2 end
end
print("sum", s)

-- A result list passed on whole (a pack), and a call as the last argument.
local function pack_of(n) return three(n) end
print(pack_of(5))
print(select('#', nine(1)), nine(2))

-- Calls through an upvalue that is reassigned during the recursion.
local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end
local real = fib
print("fib", fib(20))
local swaps = 0
fib = function(k)
  swaps = swaps + 1
  if swaps == 50 then fib = real end
  return real(k)
end
print("swapped", real(15), swaps)
fib = 42
print(pcall(real, 5))
fib = real

-- A callee that changes from integers to floats part way (side exits in the callee).
local function half(x) return x / 2 + x // 1 end
local acc = 0
for i = 1, 100 do
  acc = acc + half(i)
  if i == 60 then acc = acc + half(2.5) end
end
print("half", acc)

-- Recursion through two mutually recursive locals.
local is_odd
local function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(100), is_odd(77), is_even(7))

-- Methods and a native callee in between.
local obj = { n = 0 }
function obj:inc(k) self.n = self.n + k return self end
for i = 1, 100 do obj:inc(i) end
print("obj", obj.n, tostring(math.max(1, add(2, 3))))
