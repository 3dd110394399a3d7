-- A wrap function as a generic-for iterator that fails, and as an __index handler.
local gen = coroutine.wrap(function() coroutine.yield(1) error("gen failed") end)
print(pcall(function()
  for v in gen do
    print("v", v)
  end
end))
local t = setmetatable({}, {__index = coroutine.wrap(function(t, k) while true do t, k = coroutine.yield(k .. "!") end end)})
print(t.a, t.b, t.c)
