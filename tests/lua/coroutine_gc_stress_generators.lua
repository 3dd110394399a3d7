-- Generators allocate while suspended and resumed many times (run under GC stress too).
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield({i, tostring(i), {i * 2}}) end
  end)
end
local total = 0
for round = 1, 20 do
  local g = gen(10)
  for _ = 1, 10 do
    local t = g()
    total = total + t[1] + #t[2] + t[3][1]
  end
  local abandoned = gen(5)
  abandoned()
end
collectgarbage()
print(total)
