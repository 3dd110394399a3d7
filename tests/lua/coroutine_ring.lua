-- A ring of coroutines passing a token around.
local n = 10
local ring = {}
for i = 1, n do
  ring[i] = coroutine.create(function(token)
    while true do
      token = coroutine.yield(i, token + i)
    end
  end)
end
local token = 0
for lap = 1, 5 do
  for i = 1, n do
    local ok, who, t = coroutine.resume(ring[i], token)
    assert(ok and who == i)
    token = t
  end
  print(lap, token)
end
