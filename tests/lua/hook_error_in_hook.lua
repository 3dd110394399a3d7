-- An error in a hook propagates to the hooked code; after pcall, hooks work again.
local calls = 0
local function f()
  local a = 1
  local b = 2
  return a + b
end
debug.sethook(function(ev, line)
  calls = calls + 1
  if calls == 2 then error("stop at " .. line, 0) end
end, "l")
print(pcall(f))
local ok = pcall(f)
debug.sethook()
print(ok, calls)
