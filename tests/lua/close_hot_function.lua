-- a hot function with a to-be-closed variable and a hot generic for loop
-- (the JIT must not skip any closing)
local closes = 0
local mt = { __close = function() closes = closes + 1 end }
local function work(i)
  local x <close> = setmetatable({}, mt)
  local s = 0
  for j = 1, 10 do s = s + i * j end
  return s
end
local sum = 0
for i = 1, 300 do sum = sum + work(i) end
print(sum, closes)

local function iter(state, c)
  if c < 5 then return c + 1 end
end
local loops = 0
for r = 1, 300 do
  for k in iter, nil, 0, setmetatable({}, mt) do loops = loops + k end
end
print(loops, closes)

local function maybe(i)
  local x <close> = (i % 2 == 0) and setmetatable({}, mt) or nil
  if i % 3 == 0 then return i end
  return -i
end
local acc = 0
for i = 1, 300 do acc = acc + maybe(i) end
print(acc, closes)
