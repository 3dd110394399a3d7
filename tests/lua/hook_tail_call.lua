-- A tail call gives a "tail call" event and only one return event.
local log = {}
local function last(n) return n end
local function via(n) return last(n + 1) end
debug.sethook(function(ev) log[#log + 1] = ev end, "cr")
local r = via(1)
debug.sethook()
print(r, table.concat(log, ","))
