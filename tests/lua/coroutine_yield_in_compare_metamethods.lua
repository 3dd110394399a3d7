-- __lt, __le and __eq may yield; their results are converted to booleans.
local mt = {
  __lt = function(a, b) return coroutine.yield("lt") end,
  __le = function(a, b) return coroutine.yield("le") end,
  __eq = function(a, b) return coroutine.yield("eq") end,
}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
local co = coroutine.wrap(function()
  local r1 = a < b
  local r2 = a <= b
  local r3 = a == b
  local r4 = a > b
  if a < b then r4 = "branch" end
  return r1, r2, r3, r4
end)
print(co())
print(co(1))
print(co(nil))
print(co("yes"))
print(co(false))
print(co(true))
