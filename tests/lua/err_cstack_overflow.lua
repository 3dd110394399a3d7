-- Native re-entry is bounded: "C stack overflow" at about 200 nested calls.
-- (lua5.4 reaches 198 here; compiled code nests natively too, so the JIT may stop sooner)
local function rec(n)
  local ok, a, b = pcall(rec, n + 1)
  if not ok then return n, a end
  return a, b
end
local depth, msg = rec(1)
print(depth > 100 and depth < 250, msg)
local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
print(pcall(function() return setmetatable({}, mt).x end))
-- a long chain of pcall(pcall, pcall, ...)
local args = {}
for i = 1, 300 do args[i] = pcall end
local res = table.pack(pcall(table.unpack(args)))
print(res[res.n], res.n > 150)
-- everything still works
print(pcall(string.rep, "a", 3))
