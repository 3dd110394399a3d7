-- coroutine.close of a suspended coroutine: true, then dead; pcall in the coroutine does
-- not catch the closing; closures keep the variables' last values.
local get
local co = coroutine.create(function()
  local x = 1
  get = function() return x end
  local ok = pcall(function()
    x = 2
    coroutine.yield("in pcall")
    x = 3
  end)
  print("never here", ok)
end)
print(coroutine.resume(co))
print(get())
print(coroutine.close(co))
print(coroutine.status(co))
print(get())
print(coroutine.resume(co))
print(coroutine.close(co))
