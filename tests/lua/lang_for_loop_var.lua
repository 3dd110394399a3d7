-- numeric for loop variables: type, copy semantics, closures
for i = 1, 3 do
  local before = i
  i = i * 10                 -- assigning to the copy does not change the iteration
  io.write(before, ">", i, " ")
end
print()
for i = 3, 1, -1 do io.write(i, math.type(i), " ") end
print()
for i = 1.0, 2 do io.write(i, math.type(i), " ") end
print()
for i = 1, 2, 1.0 do io.write(i, math.type(i), " ") end
print()
for i = 1, 2.9 do io.write(i, math.type(i), " ") end
print()
-- the limit is evaluated once
local lim = 3
local n = 0
for i = 1, lim do lim = lim + 1; n = n + 1 end
print(n, lim)
-- step evaluated once, start/limit/step evaluated in order
local order = {}
local function v(x) order[#order + 1] = x; return x end
for i = v(1), v(2), v(1) do end
print(table.concat(order, ","))
-- closures per iteration
local fs = {}
for i = 1, 3 do fs[i] = function() i = i + 1; return i end end
print(fs[1](), fs[1](), fs[2](), fs[3]())
-- generic for: control variable copies, closures capture per iteration
local gs = {}
for k, val in ipairs({"a", "b", "c"}) do
  gs[k] = function() return k .. val end
  k = 99
end
print(gs[1](), gs[2](), gs[3]())
-- limits that are floats out of integer range clip correctly
local c = 0
for i = math.maxinteger - 1, 2^63 do c = c + 1 end
print(c)
c = 0
for i = math.mininteger, -2^63 - 1e10 do c = c + 1 end
print(c)
c = 0
for i = 1, -math.huge do c = c + 1 end
print(c)
c = 0
for i = -3, -1.5 do c = c + 1 end
print(c)
c = 0
for i = 3, 1.5, -1 do c = c + 1 end
print(c)
