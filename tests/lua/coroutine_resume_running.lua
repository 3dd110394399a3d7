-- A running or normal coroutine cannot be resumed.
local main = coroutine.running()
print(coroutine.resume(main))
local a
a = coroutine.create(function()
  print("self:", coroutine.resume(a))
  local b = coroutine.create(function()
    print("normal:", coroutine.resume(a))
    print("main:", coroutine.resume(main))
  end)
  coroutine.resume(b)
  return "ok"
end)
print(coroutine.resume(a))
