-- Many short-lived tables while a few stay reachable; results must be unaffected.
local keep = {}
local checksum = 0
for i = 1, 20000 do
  local t = {i, i * 2, name = "n" .. (i % 50)}
  checksum = checksum + t[1] + t[2] + #t.name
  if i % 1000 == 0 then keep[#keep + 1] = t end
end
print(checksum, #keep, keep[1][1], keep[20].name)
local chain
for i = 1, 2000 do chain = {next = chain, v = i} end
local s, n = 0, 0
while chain do s = s + chain.v; n = n + 1; chain = chain.next end
print(n, s)
