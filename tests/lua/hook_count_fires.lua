-- The count hook fires (how often depends on the VM's instruction set).
local n = 0
debug.sethook(function(ev) if ev == "count" then n = n + 1 end end, "", 10)
local s = 0
for i = 1, 1000 do s = s + i end
debug.sethook()
print(s, n > 10, n < 1000)
local f, mask, count = debug.gethook()
print(f, mask, count)
