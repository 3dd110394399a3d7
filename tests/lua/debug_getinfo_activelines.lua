-- the 'L' option: the lines of a function that have code
local function sorted_lines(f)
  local t = debug.getinfo(f, "L").activelines
  local l = {}
  for k, v in pairs(t) do
    l[#l + 1] = k
    assert(v == true)
  end
  table.sort(l)
  return table.concat(l, " ")
end

local function act(a)
  local x = a

  if x then
    x = x + 1
  end
  -- a comment
  return x
end
print(sorted_lines(act))

local function empty() end
print(sorted_lines(empty))

local function loop(n)
  local s = 0
  for i = 1, n do
    s = s + i
  end
  while s > 10 do
    s = s - 10
  end
  return s
end
print(sorted_lines(loop))

print(debug.getinfo(print, "L").activelines)
