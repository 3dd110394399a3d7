-- Compile-time constants take no register and have no debug entry (lua5.4 RDKCTC).
local x <const> = 5
local y = 1
print(debug.getlocal(1, 1))
print((debug.getlocal(1, 2)))
local function f()
  local a <const> = "k"
  local b <const> = {}
  local c = 3
  for i = 1, 2 do end
  return debug.getlocal(1, 1), debug.getlocal(1, 2)
end
print(f())
-- 200 locals limit with consts not counted
local src = {}
for i = 1, 150 do src[#src + 1] = "local c" .. i .. " <const> = " .. i end
for i = 1, 150 do src[#src + 1] = "local v" .. i .. " = " .. i end
src[#src + 1] = "return c150 + v150"
print(load(table.concat(src, "\n")))
local f2 = load(table.concat(src, "\n"))
print(f2 and f2())
