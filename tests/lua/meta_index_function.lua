-- __index functions get (table, key) and their first result only.
local calls = 0
local t = setmetatable({present = "raw"}, {__index = function(tbl, k)
  calls = calls + 1
  return type(k) .. ":" .. tostring(k), "ignored"
end})
print(t.present, t.foo, t[1], t[true], t[1.5])
print(calls)
local self_seen
local u = setmetatable({}, {__index = function(tbl, k) self_seen = tbl; return nil end})
print(u.anything, self_seen == u)
-- memoizing through __index + rawset
local fib = setmetatable({[0] = 0, [1] = 1}, {__index = function(f, n)
  local v = f[n - 1] + f[n - 2]
  rawset(f, n, v)
  return v
end})
print(fib[50], fib[80])
-- default values
local function with_default(d) return setmetatable({}, {__index = function() return d end}) end
local counts = with_default(0)
for _, w in ipairs({"a", "b", "a", "c", "a"}) do counts[w] = counts[w] + 1 end
print(counts.a, counts.b, counts.c, counts.z)
