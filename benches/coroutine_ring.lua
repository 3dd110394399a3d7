-- A ring of coroutines passing a token (resume/yield switches), plus generators created
-- and run to completion (coroutine creation). Size: laps (default 40000).
local laps = tonumber(arg and arg[1]) or 40000
local n = 50
local ring = {}
for i = 1, n do
  ring[i] = coroutine.create(function(token)
    while true do
      token = coroutine.yield((token * 31 + i) % 1000003)
    end
  end)
end
local token = 1
for _ = 1, laps do
  for i = 1, n do
    local _, t = coroutine.resume(ring[i], token)
    token = t
  end
end
local gens = 0
for k = 1, math.floor(laps / 4) do
  local g = coroutine.wrap(function()
    for j = 1, 8 do coroutine.yield(j + k) end
  end)
  for _ = 1, 8 do gens = (gens + g()) % 1000003 end
end
print("coroutine_ring", laps, token, gens)
