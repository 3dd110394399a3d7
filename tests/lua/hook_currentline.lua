-- In a line hook, debug.getinfo(2) describes the hooked function at the new line.
local seen = {}
debug.sethook(function(ev, line)
  local info = debug.getinfo(2, "lS")
  seen[#seen + 1] = line .. "=" .. info.currentline .. ":" .. info.short_src
end, "l")
local a = 1
local b = a + 2
local function f()
  local c = a
  return c + b
end
f()
debug.sethook()
print(table.concat(seen, " "))
