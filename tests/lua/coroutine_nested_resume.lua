-- A coroutine resuming another: values go to the right resumer at each level.
local inner = coroutine.create(function(x)
  for i = 1, 3 do x = coroutine.yield("inner " .. x .. " " .. i) end
  return "inner done"
end)
local outer = coroutine.create(function()
  local v = "start"
  while coroutine.status(inner) ~= "dead" do
    local ok, r = coroutine.resume(inner, v)
    v = coroutine.yield("outer got: " .. tostring(r))
  end
  return "outer done"
end)
for i = 1, 6 do
  print(coroutine.resume(outer, "m" .. i))
end
