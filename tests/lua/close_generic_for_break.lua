-- generic for: break and goto out of the loop close the closing value
local function range(n, name)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i end
  end, nil, nil, setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

for i in range(10, "broken") do
  print("iter", i)
  if i == 2 then break end
end
print("after break")

for i in range(10, "goto") do
  if i == 3 then goto out end
end
::out::
print("after goto")

for i in range(3, "outer") do
  for j in range(3, "inner" .. i) do
    if j == 2 then break end
  end
  if i == 2 then break end
end
print("after nested")

-- a body local closes before the loop's closing value
for i in range(5, "loop") do
  local body <close> = setmetatable({}, { __close = function() print("body close", i) end })
  if i == 1 then break end
end
