-- Nested pcall/xpcall: each level catches only what happens inside it.
local function inner() error("inner", 0) end
local function middle()
  local ok, e = pcall(inner)
  error("middle saw " .. e, 0)
end
print(pcall(middle))
print(xpcall(middle, function(m) return "[" .. m .. "]" end))
print(pcall(xpcall, inner, function(m) error("handler " .. m, 0) end))
local depth = 0
local function rec(n)
  depth = depth + 1
  if n == 0 then error("bottom", 0) end
  local ok, e = pcall(rec, n - 1)
  return "level " .. n .. ": " .. tostring(e)
end
print(rec(3))
print(depth)
-- state after errors is intact
local t = {}
for i = 1, 5 do
  local ok = pcall(function() t[i] = i; if i % 2 == 0 then error("even") end end)
  t[#t + 1] = ok and "ok" or "err"
end
print(table.concat(t, " "))
