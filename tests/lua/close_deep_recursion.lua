-- an error deep in a recursion closes every level, innermost first
local order = {}
local function rec(n)
  local c <close> = setmetatable({}, { __close = function(_, err)
    order[#order + 1] = n
  end })
  if n == 0 then error("bottom", 0) end
  rec(n - 1)
  return "unreachable"
end
print(pcall(rec, 150))
print(#order, order[1], order[2], order[#order])
local ok = true
for i = 1, #order do
  if order[i] ~= i - 1 then ok = false end
end
print("in order", ok)

-- normal returns through many levels
local closed = 0
local function down(n)
  local c <close> = setmetatable({}, { __close = function() closed = closed + 1 end })
  if n > 0 then return (down(n - 1)) + 1 end
  return 0
end
print(down(120), closed)
