-- A binary search tree: insert, lookup, in-order walk, height, deletion.
local function insert(node, key, value)
  if node == nil then return {key = key, value = value} end
  if key < node.key then node.left = insert(node.left, key, value)
  elseif key > node.key then node.right = insert(node.right, key, value)
  else node.value = value end
  return node
end
local function find(node, key)
  while node do
    if key == node.key then return node.value end
    node = key < node.key and node.left or node.right
  end
end
local function walk(node, out)
  if node then walk(node.left, out); out[#out + 1] = node.key; walk(node.right, out) end
  return out
end
local function height(node)
  if not node then return 0 end
  return 1 + math.max(height(node.left), height(node.right))
end
local function remove_min(node)
  if node.left == nil then return node.right, node end
  local min
  node.left, min = remove_min(node.left)
  return node, min
end
local function delete(node, key)
  if node == nil then return nil end
  if key < node.key then node.left = delete(node.left, key)
  elseif key > node.key then node.right = delete(node.right, key)
  else
    if not node.left then return node.right end
    if not node.right then return node.left end
    local right, min = remove_min(node.right)
    min.left, min.right = node.left, right
    return min
  end
  return node
end
local root
local seed = 7
for i = 1, 50 do
  seed = (seed * 37 + 11) % 101
  root = insert(root, seed, "v" .. seed)
end
local keys = walk(root, {})
print(#keys, keys[1], keys[#keys], height(root))
print(find(root, keys[10]), find(root, 1000))
for i = 1, #keys, 2 do root = delete(root, keys[i]) end
local after = walk(root, {})
local sorted = true
for i = 2, #after do if after[i - 1] >= after[i] then sorted = false end end
print(#after, sorted, after[1], height(root))
local function check(depth)
  if depth == 0 then return {} end
  return {left = check(depth - 1), right = check(depth - 1)}
end
local function count(t) if not t then return 0 end return 1 + count(t.left) + count(t.right) end
print(count(check(12)))
