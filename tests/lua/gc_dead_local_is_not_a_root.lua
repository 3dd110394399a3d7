do local x = setmetatable({}, {__gc = function() print("gc1") end}) end
collectgarbage()
print("after1")
local weak = setmetatable({}, {__mode = "v"})
do local y = {} weak[1] = y end
collectgarbage()
print("weak", weak[1])
local function f()
  local z = setmetatable({}, {__gc = function() print("gc2") end})
  z = nil
  collectgarbage()
  print("in f")
end
f()
for i = 1, 2 do local w = setmetatable({}, {__gc = function() print("gc3", i) end}) end
collectgarbage()
print("end")
