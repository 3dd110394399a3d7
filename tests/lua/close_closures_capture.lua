-- closures can capture a to-be-closed variable and locals around it; upvalues
-- are closed before the __close metamethods run
local getters = {}
do
  local count = 0
  local x <close> = setmetatable({ n = 1 }, { __close = function(self)
    count = count + 1
    self.n = self.n + 100
    print("closing, count", count)
  end })
  getters[1] = function() return x.n, count end
  print("in block", getters[1]())
end
print("after block", getters[1]())

local outer_val = "before"
do
  local y <close> = setmetatable({}, { __close = function() outer_val = "set by close" end })
end
print(outer_val)

local function make()
  local fns = {}
  for i = 1, 3 do
    local c <close> = setmetatable({ i = i }, { __close = function(o) fns[o.i] = fns[o.i] .. "!" end })
    local name = "fn" .. i
    fns[i] = name
    fns[i + 3] = function() return c.i, name end
  end
  return fns
end
local fns = make()
for i = 1, 3 do print(fns[i], fns[i + 3]()) end

-- the closing function itself is a closure over the frame's locals
local function counter()
  local closed = {}
  do
    local a <close> = setmetatable({}, { __close = function() closed[#closed + 1] = "a" end })
    local b <close> = setmetatable({}, { __close = function() closed[#closed + 1] = "b" end })
  end
  return table.concat(closed, ",")
end
print(counter())
