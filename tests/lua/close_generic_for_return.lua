-- generic for: return from inside the loop closes the closing value after the
-- results are computed
local function range(n, name)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i end
  end, nil, nil, setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

local function find(n, target)
  for i in range(n, "find" .. target) do
    if i == target then
      return "found", i
    end
  end
  return "missing"
end
print(find(5, 3))
print(find(2, 9))

local function nested()
  for i in range(3, "outer") do
    for j in range(3, "inner") do
      if j == 2 then return i * 10 + j end
    end
  end
end
print(nested())
