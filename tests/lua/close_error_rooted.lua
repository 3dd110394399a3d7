-- the error object stays alive while the variables close, even when every
-- __close drops its reference and collects
local function dropper(name)
  return setmetatable({}, { __close = function(_, err)
    local kind = type(err)
    err = nil
    collectgarbage()
    collectgarbage()
    local junk = {}
    for i = 1, 100 do junk[i] = { i } end
    print("closed " .. name, kind)
  end })
end

local ok, e = pcall(function()
  local a <close> = dropper("a")
  local b <close> = dropper("b")
  local c <close> = dropper("c")
  error(setmetatable({ msg = "table error" }, { __tostring = function(t) return t.msg end }))
end)
print(ok, tostring(e), e.msg)

ok, e = xpcall(function()
  local a <close> = dropper("x")
  local b <close> = setmetatable({}, { __close = function() error({ msg = "from close" }) end })
  local c <close> = dropper("y")
  error({ msg = "body" })
end, function(m) collectgarbage() return { msg = "handled " .. m.msg } end)
print(ok, e.msg)
