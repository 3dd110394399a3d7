-- Other natives that call back into Lua are not yieldable either.
local function try(f)
  local co = coroutine.create(f)
  print(coroutine.resume(co))
end
try(function() return string.gsub("abc", "b", function() coroutine.yield() end) end)
try(function() return tostring(setmetatable({}, {__tostring = function() coroutine.yield() end})) end)
try(function() return load(function() coroutine.yield() end) end)
try(function() return select(2, pcall(string.rep)) end)
-- pcall, xpcall and metamethods called from Lua are yieldable
try(function() return pcall(coroutine.yield, "from pcall") end)
try(function() return coroutine.isyieldable() end)
