-- Native re-entry (an __index function calling itself through indexing) inside a
-- coroutine counts towards the same "C stack overflow" depth as in the main thread.
local t = setmetatable({}, {__index = function(t, k)
  if k == 0 then return 0 end
  return t[k - 1] + 1
end})
for _, depth in ipairs({50, 150, 190, 194, 195, 250}) do
  local co = coroutine.create(function()
    return pcall(function() return t[depth] end)
  end)
  print(depth, coroutine.resume(co))
  print(depth, pcall(function() return t[depth] end))
end
