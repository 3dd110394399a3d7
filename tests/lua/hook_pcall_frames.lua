-- Calls through pcall and a Lua function called from a native one.
local log = {}
debug.sethook(function(ev)
  local info = debug.getinfo(2, "S")
  log[#log + 1] = ev:sub(1, 1) .. info.what:sub(1, 1)
end, "cr")
local ok, v = pcall(function() return 7 end)
local t = {3, 1, 2}
table.sort(t, function(a, b) return a < b end)
debug.sethook()
print(ok, v, t[1], t[2], t[3])
print(#log > 4, log[1], log[#log])
