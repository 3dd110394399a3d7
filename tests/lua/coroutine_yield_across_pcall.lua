-- A yield inside pcall suspends the coroutine; pcall still catches later errors.
local co = coroutine.create(function()
  local ok, v = pcall(function()
    local x = coroutine.yield("in pcall")
    if x == "fail" then error("failed after resume") end
    return x
  end)
  print("pcall 1:", ok, v)
  ok, v = pcall(function()
    local x = coroutine.yield("again")
    error("failed after resume: " .. x)
  end)
  print("pcall 2:", ok, v)
  print(pcall(coroutine.yield, "direct"))
  return "end"
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "value"))
print(coroutine.resume(co, "x"))
print(coroutine.resume(co, "y", "z"))
print(coroutine.status(co))
