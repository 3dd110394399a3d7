-- __index and __newindex functions may yield (lua5.4 allows it).
local log = {}
local proxy = setmetatable({}, {
  __index = function(t, k) return coroutine.yield("get " .. k) end,
  __newindex = function(t, k, v) log[#log + 1] = coroutine.yield("set " .. k .. "=" .. v) end,
})
local co = coroutine.wrap(function()
  local a = proxy.alpha
  proxy.beta = 2
  local b = proxy[10]
  return "result", a, b, log[1]
end)
print(co())
print(co("A"))
print(co("logged"))
print(co(99))
