-- a __close removed or replaced after marking is an error at closing time
local mt = { __close = function() end }

print(pcall(function()
  local t = setmetatable({}, mt)
  local x <close> = t
  mt.__close = nil
end))

mt.__close = function() end
print(pcall(function()
  local t = setmetatable({}, mt)
  local x <close> = t
  mt.__close = 42
  do
    local y <close> = t
  end
end))

-- while an error unwinds, the message has no position and no name
mt.__close = function() end
print(pcall(function()
  local t = setmetatable({}, mt)
  local x <close> = t
  mt.__close = nil
  error("E")
end))

-- a callable table is a valid __close
local callable = setmetatable({}, { __call = function(self, obj, err) print("callable close", err) end })
do
  local z <close> = setmetatable({}, { __close = callable })
end
print("end")
