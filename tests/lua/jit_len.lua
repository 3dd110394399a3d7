-- The length operator in compiled code: arrays (inline), tables whose last array slot
-- is nil or whose keys continue in the hash part, strings, and `__len` (the helper
-- and the interpreter).

local function len(t) return #t end

local function grow(n)
  local t = {}
  for i = 1, n do t[#t + 1] = i * 2 end
  return t
end

local a = grow(100)
print(len(a), len({}), len(grow(1)), a[#a])
-- Removing from the end: the last slot becomes nil.
for _ = 1, 30 do a[#a] = nil end
print(len(a), #a, a[#a])
-- A nil at the end of a constructor's array part.
print(len({1, 2, nil}), len({nil}), len({n = 1}))
-- Keys beyond the array part (in the hash part).
local h = {}
h[1] = 1; h[2] = 2; h[3] = 3
h.x = "x"
print(len(h))
local g = {10, 20, 30}
g[4] = 40; g[5] = 50
print(len(g), #g)
-- Strings and string-like values.
print(len("hello"), len(""), len("a\0b"))
-- `__len`, and a metatable without it.
local m = setmetatable({1, 2, 3}, {__len = function() return 42 end})
local p = setmetatable({1, 2, 3}, {})
local q = setmetatable({}, {__len = function(t) return "many" end})
print(len(m), len(p), len(q))
-- Errors: no length.
print(pcall(len, 5))
print(pcall(len, nil))
print(select(2, pcall(function() local x = true; return #x end)))

-- A loop using `#t` on a growing and shrinking stack.
local stack, top, sum = {}, 0, 0
for i = 1, 1000 do
  stack[#stack + 1] = i
  if i % 3 == 0 then
    top = stack[#stack]
    stack[#stack] = nil
    sum = sum + top + #stack
  end
end
print(#stack, sum)
