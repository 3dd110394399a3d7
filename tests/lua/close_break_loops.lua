-- break out of while, numeric for, repeat and nested loops closes the variables
-- of the blocks left
local function closer(name)
  return setmetatable({}, { __close = function() print("close " .. name) end })
end

local i = 0
while true do
  i = i + 1
  local w <close> = closer("while" .. i)
  if i == 2 then break end
end
print("while done", i)

for k = 1, 10 do
  local f <close> = closer("for" .. k)
  if k == 2 then
    do
      local inner <close> = closer("inner" .. k)
      break
    end
  end
end
print("for done")

local n = 0
repeat
  n = n + 1
  local r <close> = closer("repeat" .. n)
  if n == 3 then break end
until false
print("repeat done")

for a = 1, 2 do
  local outer <close> = closer("outer" .. a)
  for b = 1, 3 do
    local inner <close> = closer("inner" .. a .. b)
    if b == 2 then break end
  end
end
print("nested done")
