-- Nested numeric for loops mixing integer and float arithmetic. Size: outer count (default 30000).
local n = tonumber(arg and arg[1]) or 30000
local isum, fsum = 0, 0.0
for i = 1, n do
  for j = 1, 1000 do
    isum = (isum + i * j + (i ~= j and 1 or 0)) % 1000000007
    fsum = fsum + (i + 0.5) / (j + 1.5)
  end
end
local down = 0
for k = n, 1, -3 do down = down + k % 7 * 3 - k % 5 end
print("numeric_loop", n, isum, string.format("%.6f", fsum), down)
