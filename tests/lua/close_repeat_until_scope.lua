-- repeat ... until: the condition sees the block's variables, which close
-- after it is evaluated, on both paths
local function closer(name, v)
  return setmetatable({ v = v }, { __close = function() print("close " .. name) end })
end
local n = 0
repeat
  n = n + 1
  local r <close> = closer("r" .. n, n)
  print("body", n)
until (function() print("cond", r.v) return r.v >= 2 end)()
print("done", n)
