-- An error from a wrap function that nobody catches ends the program.
local w = coroutine.wrap(function()
  coroutine.yield(1)
  error("from the coroutine")
end)
print(w())
w()
print("not reached")
