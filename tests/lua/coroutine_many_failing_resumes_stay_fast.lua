-- apogee-test: no-gc-stress (tens of thousands of coroutines; a full collection per
-- allocation would take minutes)
-- Many live suspended coroutines: lua5.4 runs them all; apogee may hit its native-stack
-- bound, but resumes then fail quickly with an error instead of hanging. Only what both
-- agree on is printed.
local cs, failed = {}, 0
for i = 1, 60000 do
  cs[i] = coroutine.create(function() coroutine.yield(i) end)
  local ok = coroutine.resume(cs[i])
  if not ok then failed = failed + 1 end
end
print(#cs, failed >= 0)
cs = nil
collectgarbage()
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
print(co(1), co(5))
