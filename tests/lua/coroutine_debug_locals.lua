-- debug.getlocal and debug.setlocal on a suspended coroutine's frames.
local co = coroutine.create(function(a, b)
  local x = a + b
  local y = coroutine.yield(x)
  return x, y
end)
coroutine.resume(co, 1, 2)
for i = 1, 4 do print(debug.getlocal(co, 1, i)) end
print(debug.setlocal(co, 1, 3, 100))
print(debug.setlocal(co, 1, 9, 0))
print(pcall(debug.getlocal, co, 5, 1))
print(pcall(debug.setlocal, co, 5, 1, 0))
print(coroutine.resume(co, "y"))
print((debug.getlocal(1, 1)))
