-- goto out of a block closes its variables; a backward goto closes the
-- variables of each round
local function closer(name)
  return setmetatable({}, { __close = function() print("close " .. name) end })
end

do
  local i = 1
  ::again::
  do
    local x <close> = closer("round" .. i)
    i = i + 1
    if i <= 3 then goto again end
    print("last round")
  end
end

do
  do
    local a <close> = closer("a")
    do
      local b <close> = closer("b")
      goto out
    end
  end
  ::out::
  print("out")
end

for i = 1, 3 do
  local c <close> = closer("c" .. i)
  if i == 2 then goto continue end
  print("body", i)
  ::continue::
end
print("end")
