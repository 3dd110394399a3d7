-- an error raised by __close on a normal exit propagates; the other variables
-- are still closed, with that error
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

local function bad(msg)
  return setmetatable({}, { __close = function(_, err)
    print("bad close sees", err)
    error(msg)
  end })
end

print(pcall(function()
  local a <close> = closer("a")
  local b <close> = bad("from b")
  local c <close> = closer("c")
  print("body ends")
end))

print(pcall(function()
  local a <close> = closer("a2")
  do
    local b <close> = bad("inner block")
  end
  print("not reached")
end))

print(pcall(function()
  local a <close> = closer("a3")
  local b <close> = bad("during return")
  return "value"
end))
