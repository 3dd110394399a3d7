-- apogee-test: no-gc-stress
-- a "stack overflow" still closes every level, the newest one too (closing has
-- the headroom error handling has)
local n, depth = 0, 0
local mt = { __close = function(_, e) n = n + 1 end }
local function rec(d)
  local x <close> = setmetatable({}, mt)
  depth = d
  return rec(d + 1) + 1
end
local ok, e = pcall(rec, 1)
print(ok, string.find(e, "stack overflow", 1, true) ~= nil, n == depth, n > 1000)

-- the same with the error going through a message handler
n, depth = 0, 0
local seen
ok, e = xpcall(rec, function(m) seen = m return "handled" end, 1)
print(ok, e, n == depth, string.find(seen, "stack overflow", 1, true) ~= nil)
