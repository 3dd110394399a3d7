-- A closure may change its captured loop variable without affecting the loop or siblings.
local fs = {}
for i = 1, 3 do
  fs[i] = function() i = i + 10; return i end
end
print(fs[1](), fs[1](), fs[2](), fs[3]())
local gs = {}
for k, v in pairs({10, 20}) do gs[k] = function(d) v = v + d; return k, v end end
print(gs[1](1)); print(gs[1](1)); print(gs[2](5))
local hs = {}
local i = 1
while i <= 2 do
  local j = i
  hs[i] = function() return j end
  j = j * 100
  i = i + 1
end
print(hs[1](), hs[2]())
