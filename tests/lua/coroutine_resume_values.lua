-- Values pass both ways: resume arguments become the body's parameters or yield's
-- results; yield arguments and return values become resume's results.
local co = coroutine.create(function(a, b, ...)
  print("start", a, b, select("#", ...), ...)
  local x, y = coroutine.yield(a + b, nil, "three")
  print("got", x, y)
  local r = table.pack(coroutine.yield())
  print("packed", r.n, r[1], r[2], r[3])
  return "ret1", nil, "ret3"
end)
print(coroutine.resume(co, 1, 2, "v1", nil, "v3"))
print(coroutine.resume(co, "x"))
print(select("#", coroutine.resume(co, nil, nil, nil)))
print(coroutine.resume(co))
print(select("#", coroutine.resume(co)))
-- no values at all
local e = coroutine.create(function() coroutine.yield() end)
print(select("#", coroutine.resume(e)), select("#", coroutine.resume(e)))
