-- Numeric for loops as the JIT specialises them: integer loops (known and speculated),
-- float loops, and every fallback (float or string bounds, zero steps, overflow edges,
-- calls in the body, a float reaching a loop speculated to be an integer loop).

local function sum(a, b, c)
  local s = 0
  for i = a, b, c do s = s + i end
  return s
end

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " "))
end

-- Integer loops whose bounds come from parameters (speculated integer).
show(sum(1, 10, 1), sum(10, 1, -1), sum(1, 10, 3), sum(5, 4, 1), sum(-3, 3, 2))
-- The same loop with float bounds: an integer initial value and step stay an integer
-- loop (the limit is clipped), a float initial value or step makes a float loop.
show(sum(1, 10.5, 1), sum(1, 10.5, 2), sum(10, 0.5, -3), sum(1.5, 4, 1), sum(1, 3, 0.5))
show(sum(0.5, -1, -0.25), sum(1, 1e300, -1), sum(-1, -1e300, 1), sum(math.maxinteger - 1, 1e300, 1), sum(1, 1e300, 5e299) > 0)
-- Strings as bounds are errors in 5.4; so is a zero step.
show(pcall(sum, "1", 3, 1))
show(pcall(sum, 1, "3", 1))
show(pcall(sum, 1, 3, "1"))
show(pcall(sum, 1, 3, 0))
show(pcall(sum, 1, 3, 0.0))
show(pcall(sum, 1, {}, 1))
-- Overflow edges: loops that end at the integer limits do not wrap.
local max, min = math.maxinteger, math.mininteger
local n = 0
for i = max - 2, max do n = n + 1 end
for i = min + 2, min, -1 do n = n + 1 end
for i = min, max, max do n = n + 1 end
for i = max, min, min do n = n + 1 end
for i = 1, 0 do n = n + 100 end
show(n)
show(sum(max - 10, max, 4), sum(min, min + 10, 5))

-- Nested loops: an inner loop bounded by the outer control variable, a table store
-- with the control variable as key, and a call in the body.
local function tri(k)
  local t = {}
  for i = 1, k do
    for j = i * i, k * k, i do t[j] = (t[j] or 0) + 1 end
  end
  local c = 0
  for i = 1, k * k do if t[i] then c = c + t[i] end end
  return c
end
show(tri(10), tri(25))
local function calls(k)
  local s = 0
  for i = 1, k do s = s + math.abs(-i) + tonumber(i) end
  for x = 0.25, k, 0.25 do s = s + math.floor(x) end
  return s
end
show(calls(10), calls(33))

-- A float loop's control variable as the bounds of an inner loop, behind a call.
local function mixed(k)
  local s = 0
  for x = 0.5, k do
    tostring(x)
    for y = x, x + 2 do s = s + y end
    for i = 1, 3 do s = s + i end
  end
  return s
end
show(mixed(4), mixed(10))

-- The loop variable is a copy: assigning it does not change the iteration.
local function assign(k)
  local s, last = 0, nil
  for i = 1, k do
    s = s + i
    i = i * 10.5
    last = i
  end
  return s, last
end
show(assign(5))

-- One compiled loop seeing integers, then floats, then integers again (the float
-- calls run in the interpreter; the integer calls must still be right).
local acc = {}
for r = 1, 40 do
  local a = (r % 3 == 0) and r + 0.5 or r
  acc[#acc + 1] = sum(a, a + 5, 1)
end
print(table.concat(acc, ","))

-- Loops with huge counts that stop early, and a loop entered many times.
local function first_square_above(lim)
  for i = 1, max do
    if i * i > lim then return i end
  end
end
show(first_square_above(1000), first_square_above(123456789))
local total = 0
for r = 1, 300 do total = total + sum(r, r + 7, 2) end
show(total)

-- Constant steps (counted without a division, or divided by the constant), up and
-- down, near the integer limits, and loops that do not run.
local function consts(a, b)
  local r = {}
  local c = 0
  for i = a, b do c = c + 1 end
  r[#r + 1] = c
  c = 0
  for i = b, a, -1 do c = c + 1 end
  r[#r + 1] = c
  c = 0
  for i = a, b, 3 do c = c + i end
  r[#r + 1] = c
  c = 0
  for i = b, a, -7 do c = c + i end
  r[#r + 1] = c
  c = 0
  for i = a, b, 32767 do c = c + 1 end
  r[#r + 1] = c
  c = 0
  for i = b, a, -32768 do c = c + 1 end
  r[#r + 1] = c
  return table.concat(r, " ")
end
print(consts(1, 10))
print(consts(10, 1))
print(consts(-5, 5))
print(consts(3, 3))
print(consts(max - 5, max))
print(consts(min, min + 5))
print(consts(1.5, 10))
print(consts(1, 10.5))
