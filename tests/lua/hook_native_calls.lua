-- Call and return events also come for native (C) functions.
local log = {}
debug.sethook(function(ev)
  local info = debug.getinfo(2, "S")
  log[#log + 1] = ev .. ":" .. info.what
end, "cr")
local s = tostring(12)
local n = select("#", 1, 2, 3)
debug.sethook()
print(s, n)
print(table.concat(log, " "))
