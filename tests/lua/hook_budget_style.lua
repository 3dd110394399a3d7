-- A count hook as a watchdog: a long loop is stopped, the rest of the program runs.
local limit_hit = false
local function guard()
  debug.sethook(function()
    limit_hit = true
    error("watchdog", 0)
  end, "", 100)
end
local function spin(n)
  local x = 0
  for i = 1, n do x = x + i % 7 end
  return x
end
guard()
local ok, e = pcall(spin, 1e9)
debug.sethook()
print(ok, e, limit_hit)
print(spin(10))
