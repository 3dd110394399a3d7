-- Table-based sieve of Eratosthenes, repeated 20 times. Size: limit (default 1000000).
local limit = tonumber(arg and arg[1]) or 1000000
local function sieve(n)
  local composite = {}
  for i = 1, n do composite[i] = false end
  local count = 0
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count
end
local total = 0
for _ = 1, 20 do total = total + sieve(limit) end
print("sieve", limit, total)
