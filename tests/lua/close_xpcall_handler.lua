-- xpcall: the handler runs at the error, then variables close with its result;
-- an error in __close goes through the handler too
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

local function handler(m)
  print("handler", m)
  return "H(" .. tostring(m) .. ")"
end

print(xpcall(function()
  local a <close> = closer("a")
  error("E1", 0)
end, handler))

print(xpcall(function()
  local a <close> = closer("a2")
  local b <close> = setmetatable({}, { __close = function(_, err)
    print("b sees", err)
    error("E2", 0)
  end })
  local c <close> = closer("c2")
  error("E1", 0)
end, handler))

print(xpcall(function(x, y)
  local a <close> = closer("a3")
  return x + y
end, handler, 3, 4))
