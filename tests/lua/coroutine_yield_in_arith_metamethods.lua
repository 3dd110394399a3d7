-- Arithmetic, concatenation, length and unary metamethods may yield.
local mt = {}
local function V(x) return setmetatable({x = x}, mt) end
mt.__add = function(a, b) return V(coroutine.yield("add") + a.x + b.x) end
mt.__concat = function(a, b) return coroutine.yield("concat") end
mt.__len = function(a) return coroutine.yield("len") end
mt.__unm = function(a) return V(-a.x * coroutine.yield("unm")) end
mt.__idiv = function(a, b) return coroutine.yield("idiv") end
local co = coroutine.wrap(function()
  local s = V(1) + V(2)
  local c = V(0) .. "x"
  local n = #V(0)
  local u = -V(5)
  local d = V(1) // 2
  return s.x, c, n, u.x, d
end)
print(co())
print(co(100))
print(co("cat"))
print(co(7))
print(co(2))
print(co("floor"))
