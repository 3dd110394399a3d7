-- Arbitrary-precision factorials with base-10^7 digit tables.
local BASE = 10000000
local function mul_small(n, k)
  local carry = 0
  for i = 1, #n do
    local v = n[i] * k + carry
    n[i] = v % BASE
    carry = v // BASE
  end
  while carry > 0 do n[#n + 1] = carry % BASE; carry = carry // BASE end
end
local function tostr(n)
  local s = tostring(n[#n])
  for i = #n - 1, 1, -1 do s = s .. string.format("%07d", n[i]) end
  return s
end
local n = {1}
for k = 1, 100 do
  mul_small(n, k)
  if k == 20 or k == 25 or k == 50 then print(k, tostr(n)) end
end
local s = tostr(n)
local digit_sum = 0
for i = 1, #s do digit_sum = digit_sum + s:byte(i) - 48 end
print(100, #s, digit_sum, s:sub(1, 20))
