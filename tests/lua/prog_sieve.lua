-- A sieve of Eratosthenes over a table of booleans.
local function sieve(n)
  local composite = {}
  local primes = {}
  for i = 2, n do
    if not composite[i] then
      primes[#primes + 1] = i
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return primes
end
local p = sieve(100)
local line = ""
for i, v in ipairs(p) do line = line .. v .. (i < #p and " " or "") end
print(line)
local big = sieve(100000)
print(#big, big[#big])
local sum = 0
for _, v in ipairs(big) do sum = sum + v end
print(sum)
local twins = 0
for i = 2, #big do if big[i] - big[i - 1] == 2 then twins = twins + 1 end end
print(twins)
