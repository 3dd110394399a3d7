-- argument errors of debug.getinfo
print(pcall(debug.getinfo, 1, "X"))
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, print, ">"))
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo))
print(pcall(debug.getinfo, {}))
print(pcall(debug.getinfo, 1.5))
print(pcall(debug.getinfo, 1, 2))
print(pcall(debug.getinfo, 1, {}))
-- an invalid option is not checked for a level out of range
print(pcall(debug.getinfo, 50, "X"))
-- called directly, the message names the field
local ok, msg = pcall(function() return debug.getinfo(1, "q") end)
print(ok, msg)
ok, msg = pcall(function() local gi = debug.getinfo; return gi(1, "q") end)
print(ok, msg)
