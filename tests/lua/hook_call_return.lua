-- Call and return events, with the hooked function described by debug.getinfo(2).
local log = {}
local function hook(ev)
  local info = debug.getinfo(2, "nS")
  log[#log + 1] = ev .. " " .. info.what .. " " .. tostring(info.name)
end
local function leaf(x) return x * 2 end
local function mid(x) return leaf(x) + 1 end
debug.sethook(hook, "cr")
local v = mid(5)
debug.sethook()
print(v)
for _, l in ipairs(log) do print(l) end
