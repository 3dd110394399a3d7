-- next visits each key once; next(t, lastkey) ends with nil; bad keys are errors.
local t = {10, 20, 30, a = 1}
local n, sum = 0, 0
local k, v = next(t)
while k ~= nil do
  n = n + 1
  sum = sum + v
  k, v = next(t, k)
end
print(n, sum)
print(next({}), next({}, nil))
print(pcall(next, t, "nokey"))
print(pcall(next))
print(pcall(next, 5))
print(type(next), rawequal(next, next))
