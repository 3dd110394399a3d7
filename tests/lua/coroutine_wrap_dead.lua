-- Calling a finished wrap function raises "cannot resume dead coroutine".
local w = coroutine.wrap(function() return "only" end)
print(w())
print(pcall(w))
print(pcall(function() return w() end))
w()
