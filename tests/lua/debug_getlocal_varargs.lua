-- varargs through negative indices, and parameter names of function values
local function va(a, ...)
  local x = "local"
  print(debug.getlocal(1, -1))
  print(debug.getlocal(1, -2))
  print(debug.getlocal(1, -3))
  print(debug.getlocal(1, -4))
  print(debug.getlocal(1, 1))
  print(debug.getlocal(1, 2))
  return select("#", ...)
end
print(va("A", "v1", "v2", nil))
print(va("A"))

local function novar(a, b)
  print(debug.getlocal(1, -1))
  return a
end
novar(1, 2)

-- parameter names of a function value
local function params(first, second, third)
  local notparam = 1
end
for i = 1, 4 do
  print(i, debug.getlocal(params, i))
end
print(debug.getlocal(va, 1), debug.getlocal(va, 2), debug.getlocal(va, -1))
print(debug.getlocal(print, 1))
print(select("#", debug.getlocal(params, 9)))

-- level errors
print(pcall(debug.getlocal, 100, 1))
print(pcall(debug.getlocal, 1))
print(pcall(debug.getlocal, "x", 1))
print(select("#", debug.getlocal(1, 100)))
