-- A yield deep inside nested Lua calls suspends the whole chain.
local function depth(n)
  if n == 0 then return coroutine.yield("bottom") end
  local r = depth(n - 1)
  return r + 1
end
local co = coroutine.create(function() return depth(50) end)
print(coroutine.resume(co))
print(coroutine.resume(co, 0))
local function walk(t)
  if type(t) == "table" then
    for _, v in ipairs(t) do walk(v) end
  else
    coroutine.yield(t)
  end
end
local leaves = {}
for v in coroutine.wrap(function() walk({1, {2, {3, 4}, 5}, {{{6}}}}) end) do
  leaves[#leaves + 1] = v
end
print(table.concat(leaves, ","))
