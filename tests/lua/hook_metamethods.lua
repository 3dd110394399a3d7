-- Metamethods written in Lua are hooked like any call.
local log = {}
local mt = {__index = function(t, k) return k .. "!" end,
            __add = function(a, b) return 42 end}
local t = setmetatable({}, mt)
debug.sethook(function(ev)
  local info = debug.getinfo(2, "Sl")
  if info.what == "Lua" then log[#log + 1] = ev .. "@" .. info.linedefined end
end, "cr")
local v = t.x
local w = t + 1
debug.sethook()
print(v, w)
print(table.concat(log, " "))
