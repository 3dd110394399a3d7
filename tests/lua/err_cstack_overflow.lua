-- Native re-entry is bounded: "C stack overflow" at about 200 nested calls.
local function rec(n)
  local ok, r = pcall(rec, n + 1)
  if not ok then return n, r end
  return r
end
local depth, msg = rec(1)
print(depth > 150 and depth < 250, msg)
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
