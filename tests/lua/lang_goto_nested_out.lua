-- goto out of deeply nested blocks and loops
local function find(t, x)
  for i = 1, #t do
    for j = 1, #t[i] do
      if t[i][j] == x then
        goto found
      end
    end
  end
  do return nil end
  ::found::
  return "found " .. x
end
print(find({{1, 2}, {3, 4}}, 3))
print(find({{1, 2}, {3, 4}}, 9))

local log = {}
do
  do
    do
      log[#log + 1] = "deep"
      goto done
    end
    log[#log + 1] = "never1"
  end
  log[#log + 1] = "never2"
end
::done::
log[#log + 1] = "done"
print(table.concat(log, " "))

-- goto from a repeat body and from a while body
local n = 0
repeat
  n = n + 1
  if n == 3 then goto exit_repeat end
until false
::exit_repeat::
print("repeat exited at", n)

n = 0
while true do
  n = n + 1
  while true do
    if n > 4 then goto exit_both end
    break
  end
end
::exit_both::
print("while exited at", n)
