-- Memoisation through a closure-held cache, and function composition.
local function memoize(f)
  local cache, hits = {}, 0
  return function(n)
    local v = cache[n]
    if v ~= nil then hits = hits + 1; return v end
    v = f(n)
    cache[n] = v
    return v
  end, function() return hits end
end
local fib, fib_hits
fib, fib_hits = memoize(function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end)
print(fib(80), fib_hits())
local function compose(...)
  local fs = {...}
  return function(x)
    for i = #fs, 1, -1 do x = fs[i](x) end
    return x
  end
end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
print(compose(inc, dbl)(5), compose(dbl, inc)(5), compose()(7))
local function map(t, f) local r = {} for i, v in ipairs(t) do r[i] = f(v) end return r end
local function filter(t, p) local r = {} for _, v in ipairs(t) do if p(v) then r[#r + 1] = v end end return r end
local function reduce(t, f, acc) for _, v in ipairs(t) do acc = f(acc, v) end return acc end
local nums = {}
for i = 1, 20 do nums[i] = i end
local evens = filter(nums, function(v) return v % 2 == 0 end)
print(#evens, reduce(map(evens, dbl), function(a, b) return a + b end, 0))
