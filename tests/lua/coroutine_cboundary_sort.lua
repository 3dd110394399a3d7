-- table.sort's comparator cannot yield: "attempt to yield across a C-call boundary".
local co = coroutine.create(function()
  table.sort({3, 1, 2}, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(co))
print(coroutine.status(co))
-- the comparator may still resume other coroutines
local gen = coroutine.wrap(function() while true do coroutine.yield(1) end end)
local t = {5, 3, 4}
table.sort(t, function(a, b) return a + gen() < b + gen() end)
print(t[1], t[2], t[3])
-- and isyieldable says no inside it
co = coroutine.wrap(function()
  local r
  table.sort({2, 1}, function(a, b) r = coroutine.isyieldable() return a < b end)
  return r, coroutine.isyieldable()
end)
print(co())
