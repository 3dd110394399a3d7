-- an inner pcall closes only the variables of the frames it unwinds; outer
-- variables close later, normally
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

local function outer()
  local o <close> = closer("outer")
  local ok, e = pcall(function()
    local i <close> = closer("inner")
    local ok2, e2 = pcall(function()
      local d <close> = closer("deepest")
      error("deep", 0)
    end)
    print("inner pcall", ok2, e2)
    error("middle", 0)
  end)
  print("outer pcall", ok, e)
  return "outer done"
end
print(outer())

-- pcall of a function that closes normally
print(pcall(function()
  local x <close> = closer("x")
  return 1, 2
end))

-- an error inside __close that is itself caught inside __close
print(pcall(function()
  local y <close> = setmetatable({}, { __close = function(_, err)
    print("y closing with", err)
    print("caught inside", pcall(error, "inside", 0))
  end })
  error("body", 0)
end))
