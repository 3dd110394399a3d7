-- while an error unwinds, an error raised by __close replaces it: the next
-- variables see the new error, and pcall returns the last one
local function show(err)
  if type(err) == "table" then return "table " .. tostring(err[1]) end
  return err
end

local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, show(err))
  end })
end

local function bad(msg)
  return setmetatable({}, { __close = function(_, err)
    print("bad close sees", show(err))
    error(msg, 0)
  end })
end

print(pcall(function()
  local a <close> = closer("a")
  local b <close> = bad("second")
  local c <close> = closer("c")
  local d <close> = bad("first")
  local e <close> = closer("e")
  error("original", 0)
end))

print(pcall(function()
  local a <close> = bad("plain")
  error({ "tbl" }, 0)
end))

-- errors in every __close: the last one wins
print(pcall(function()
  local x <close> = bad("x")
  local y <close> = bad("y")
  local z <close> = bad("z")
end))
