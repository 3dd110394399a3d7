-- Unbounded recursion is caught as a "stack overflow" error.
local function contains(s, needle)
  if type(s) ~= "string" then return false end
  for i = 1, #s - #needle + 1 do
    if s:sub(i, i + #needle - 1) == needle then return true end
  end
  return false
end
local function deep(n) return 1 + deep(n + 1) end
local ok, e = pcall(deep, 1)
print(ok, contains(e, "stack overflow"))
local function deep2(t) local r = {deep2(t)} return r end
ok, e = pcall(deep2, {})
print(ok, contains(e, "stack overflow"))
local count = 0
local function deep3() count = count + 1; local a, b, c = deep3() return a end
ok, e = pcall(deep3)
print(ok, contains(e, "stack overflow"), count > 1000)
print("still running", pcall(deep, 1) == false)
-- apogee-test: no-gc-stress (each of the ~200,000 frames of runaway recursion allocates,
-- and a full collection per allocation over a near-1M-slot stack is quadratic)
