-- repeat-until runs at least once and its condition sees the body's locals.
local i = 0
repeat
  local j = i * 2
  i = i + 1
until j >= 6
print(i)
local count = 0
repeat count = count + 1 until true
print(count)
local fns = {}
local k = 0
repeat
  local captured = k
  fns[#fns + 1] = function() return captured end
  k = k + 1
until captured == 2
print(fns[1](), fns[2](), fns[3]())
local n = 0
repeat
  n = n + 1
  if n == 4 then break end
until false
print(n)
