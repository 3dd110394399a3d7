-- hot loops made of gotos, with closures and float/int mixing (JIT back edges)
local i, s = 0, 0
::top::
i = i + 1
s = s + (i % 7 == 0 and 0.5 or i)
if i < 100000 then goto top end
print(i, s, math.type(s))
local fs = {}
local n = 0
::again::
do
  local v = n * 2
  if n % 1000 == 0 then fs[#fs + 1] = function() return v end end
end
n = n + 1
if n < 20000 then goto again end
local sum = 0
for _, f in ipairs(fs) do sum = sum + f() end
print(#fs, sum)
local function w(limit)
  local a, b = 0, 1
  local k = 0
  ::loop::
  if k >= limit then return a end
  a, b = b, a + b
  k = k + 1
  goto loop
end
print(w(90), w(92), w(93), w(100))
local x = 0
for j = 1, 50000 do
  if j % 3 == 0 then goto continue end
  x = x + (j & 0xFF) ~ (j >> 3)
  ::continue::
end
print(x)
