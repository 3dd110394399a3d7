-- generic for: an error in the body or in the iterator closes the closing
-- value with the error
local function range(n, name, fail_at)
  local i = 0
  return function()
    i = i + 1
    if i == fail_at then error("iterator failed at " .. i, 0) end
    if i <= n then return i end
  end, nil, nil, setmetatable({}, { __close = function(_, err)
    print("close " .. name, type(err) == "table" and "table " .. err[1] or err)
  end })
end

print(pcall(function()
  for i in range(5, "body error") do
    if i == 2 then error("body failed", 0) end
  end
end))

print(pcall(function()
  for i in range(5, "iter error", 3) do
    print("iter", i)
  end
end))

print(pcall(function()
  for i in range(3, "outer") do
    for j in range(3, "inner") do
      if i == 2 and j == 2 then error({ "t" }) end
    end
  end
end) == false)
