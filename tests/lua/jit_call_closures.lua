-- Natively called closures of one proc with different upvalues: each call must see its
-- own closure's upvalues (compiled code passes the callee's closure to its entry),
-- through inline calls, calls that grow the stack, and inside coroutines.

local function make(k)
  local function f(n)
    if n == 0 then return k end
    return f(n - 1) + k
  end
  return f
end

local fs = {}
for i = 1, 10 do fs[i] = make(i) end
local s = 0
for r = 1, 60 do
  for i = 1, 10 do s = s + fs[i](r % 7) end
end
print("closures", s)

-- Closures that call each other's siblings (same proc, different upvalues).
local function pair(tag)
  local other
  local function g(n)
    if n <= 0 then return tag end
    return other(n - 1) .. tag
  end
  return g, function(o) other = o end
end
local a, seta = pair("a")
local b, setb = pair("b")
seta(b)
setb(a)
for _ = 1, 30 do a(6) end
print("pair", a(7), b(4))

-- Deep recursion through changing closures: the value stack grows under native calls.
local function deep(k)
  local function d(n) if n == 0 then return k end return d(n - 1) + 1 end
  return d
end
local total = 0
for i = 1, 5 do total = total + deep(i)(150 * i) end
print("deep", total)

-- The same inside coroutines, with a yield from a natively called callee.
local co = coroutine.wrap(function()
  local acc = 0
  for i = 1, 10 do
    acc = acc + fs[i](i)
    if i % 3 == 0 then coroutine.yield(acc) end
  end
  return acc
end)
print("co", co(), co(), co(), co())

local function yielder(k)
  local function y(n)
    if n == 0 then coroutine.yield(k) return k end
    return y(n - 1) + 1
  end
  return y
end
local ys = {}
for i = 1, 4 do ys[i] = yielder(i * 100) end
local gen = coroutine.wrap(function()
  local out = 0
  for round = 1, 20 do
    for i = 1, 4 do out = out + ys[i](round % 5) end
  end
  return out
end)
local got = {}
for _ = 1, 81 do got[#got + 1] = gen() end
print("yields", #got, got[1], got[80], got[81])
