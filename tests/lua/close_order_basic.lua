-- to-be-closed variables close in reverse declaration order when their block ends;
-- nil and false are accepted and ignored
local function closer(name)
  return setmetatable({ name = name }, {
    __close = function(self, err)
      print("close", self.name, err)
    end,
  })
end

do
  local a <close> = closer("a")
  local b <close> = nil
  local c <close> = closer("c")
  local d <close> = false
  local e <close> = closer("e")
  print("body", a.name, b, c.name, d, e.name)
end
print("after block")

local function three()
  local x <close> = closer("x")
  local y <close> = closer("y")
  local z <close> = closer("z")
  print("in three")
end
three()
print("done")
