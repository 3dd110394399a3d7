-- an error in the body closes the variables (newest first) with the error
-- object before pcall returns
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

print(pcall(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  error("boom")
end))

print(pcall(function()
  local a <close> = closer("a2")
  do
    local b <close> = closer("b2")
    local t = nil
    return t.field
  end
end))

print(pcall(function()
  local a <close> = closer("a3")
  error("no position", 0)
end))

print(pcall(function()
  local a <close> = closer("a4")
  error(42)
end))

print(pcall(function()
  local a <close> = closer("a5")
  error()
end))
print("after")
