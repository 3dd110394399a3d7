-- generic for: the fourth value of the explist is closed when the loop ends
local function closing(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

local function range(n, name)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i end
  end, nil, nil, closing(name)
end

for i in range(3, "r3") do print("iter", i) end
print("after r3")
for i in range(0, "empty") do print("never") end
print("after empty")

-- nested loops close inner first, each time the inner loop ends
for i in range(2, "outer") do
  for j in range(2, "inner" .. i) do
    print(i, j)
  end
end

-- nil and false are accepted as the closing value
for k, v in next, { 1 }, nil, nil do print("nil closing", k, v) end
for k, v in next, { 2 }, nil, false do print("false closing", k, v) end
-- ipairs and pairs give no closing value
for _, v in ipairs({ "a", "b" }) do io.write(v, " ") end
print()
