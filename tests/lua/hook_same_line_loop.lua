-- A loop on one line gives a line event per iteration (backward jump).
local n = 0
debug.sethook(function(ev, line) n = n + 1 end, "l")
local x = 0 for i = 1, 5 do x = x + i end
debug.sethook()
print(x, n)
local m = 0
debug.sethook(function(ev, line) m = m + 1 end, "l")
local k = 0 while k < 4 do k = k + 1 end
debug.sethook()
print(k, m)
