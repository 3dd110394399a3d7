-- Call events of a generic for's iterator (lua5.4 also gives a line event for the loop's
-- `end` when it exits, from the CLOSE of its to-be-closed slot: not tested here).
local log = {}
local function iter(t, i)
  i = i + 1
  if t[i] then return i, t[i] end
end
local function walk(t) return iter, t, 0 end
local sum = 0
debug.sethook(function(ev, line)
  if ev == "line" then log[#log + 1] = line else log[#log + 1] = ev end
end, "c")
for i, v in walk({5, 6}) do
  sum = sum + v
end
debug.sethook()
print(sum)
print(table.concat(log, " "))
