-- variables of the main chunk close when the chunk ends, after its last
-- statement; a chunk's return values are computed before that
local a <close> = setmetatable({}, { __close = function() print("close a") end })
local b <close> = setmetatable({}, { __close = function() print("close b") end })
local f = load([[
  local c <close> = setmetatable({}, { __close = function() print("close c") end })
  return "loaded chunk result"
]])
print(f())
print("last statement")
