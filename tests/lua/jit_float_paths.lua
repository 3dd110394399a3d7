-- Straight-line arithmetic on values of unknown type: compiled code learns operand
-- types along the float path (and keeps them across an inline math.sqrt); every other
-- combination (integers, mixed numbers, strings, metamethods, a replaced math.sqrt)
-- must give the interpreter's results.

local function kernel(p, q)
  local dx, dy, dz = p.x - q.x, p.y - q.y, p.z - q.z
  local d2 = dx * dx + dy * dy + dz * dz
  local d = math.sqrt(d2)
  local m = p.m * q.m / (d2 * d + 1)
  local a = dx * m
  local b = dy * m - dx
  local c = dz * m + dy * dx
  local e = a + b + c + d2 // 3 + d2 % 7
  return dx, dy, dz, d2, d, m, e
end

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do
    local v = t[i]
    t[i] = math.type(v) == "float" and string.format("%.10g", v) or tostring(v)
  end
  print(table.concat(t, " "))
end

local P = {
  {x = 1.5, y = 2.25, z = -3.0, m = 2.0},
  {x = 4, y = -2, z = 7, m = 3},
  {x = 1, y = 2.5, z = 3, m = 0.5},
  {x = "10", y = 2, z = "0x10", m = 1},
  {x = 2 ^ 53, y = -1.0, z = 0, m = 1e300},
  {x = 0.0, y = -0.0, z = 1 / 0, m = 0.0},
}
for i = 1, #P do
  for j = 1, #P do
    show(i, j, pcall(kernel, P[i], P[j]))
  end
end

-- Many calls with floats, so the compiled code is the float version, then the
-- other kinds again.
local acc = 0.0
for k = 1, 300 do
  local p = {x = k * 0.5, y = k / 3, z = -k * 0.25, m = 1.5}
  local q = {x = 1.25, y = 2.5, z = k % 5 + 0.5, m = 2.5}
  local _, _, _, d2, d, m, e = kernel(p, q)
  acc = acc + d2 + d + m + e
end
show(acc)
show(kernel(P[2], P[3]))

-- Metamethods on the operands.
local V = setmetatable({}, {
  __sub = function(a, b) return 1.5 end,
  __index = function(t, k) return 2 end,
})
show(pcall(kernel, {x = V, y = 1.0, z = 2.0, m = 1.0}, P[1]))
show(pcall(kernel, V, P[1]))

-- math.sqrt replaced while compiled code keeps calling it.
local sqrt = math.sqrt
math.sqrt = function(x) return x * 2 end
show(kernel(P[1], P[2]))
math.sqrt = function(x) return "s" end
show(pcall(kernel, P[1], P[2]))
math.sqrt = sqrt
show(kernel(P[1], P[2]))

-- Integer chains with a float in the middle, and copies of learnt values.
local function chain(a, b)
  local s = a * b
  local t = s
  local u = t + a
  local v = u * 0.5
  local w = t - b
  local x = w // 2
  return s, t, u, v, w, x
end
show(chain(3, 4))
show(chain(3.5, 4))
show(chain(3, 4.5))
show(chain(1.5, 2.5))
show(pcall(chain, "2", 3))
show(chain(math.maxinteger, 2))
