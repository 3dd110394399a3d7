-- Inside a hook, hooks are off: the hook's own calls and lines are not hooked.
local events = 0
local depth = 0
local function helper() return 1 end
local function hook(ev, line)
  events = events + 1
  depth = depth + 1
  if depth > 1 then error("hook re-entered") end
  helper()
  local t = {}
  for i = 1, 3 do t[i] = i end
  depth = depth - 1
end
debug.sethook(hook, "crl")
local x = 0
for i = 1, 3 do x = x + helper() end
debug.sethook()
print(x, events > 0, depth)
