-- In-order traversal of a binary tree with a recursive generator.
local function insert(t, v)
  if not t then return {v = v} end
  if v < t.v then t.l = insert(t.l, v) else t.r = insert(t.r, v) end
  return t
end
local root
for _, v in ipairs({50, 30, 70, 20, 40, 60, 80, 35, 65}) do root = insert(root, v) end
local function walk(t)
  if t then walk(t.l); coroutine.yield(t.v); walk(t.r) end
end
local out = {}
for v in coroutine.wrap(function() walk(root) end) do out[#out + 1] = v end
print(table.concat(out, " "))
-- two traversals interleaved
local a, b = coroutine.wrap(function() walk(root) end), coroutine.wrap(function() walk(root) end)
print(a(), a(), b(), a(), b())
