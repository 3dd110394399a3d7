-- Assigning to existing fields during pairs traversal is allowed.
local t = {a = 1, b = 2, c = 3}
for k, v in pairs(t) do t[k] = v * 10 end
print(t.a, t.b, t.c)
for k in pairs(t) do t[k] = nil end
print(next(t))
local arr = {1, 2, 3, 4}
for i, v in ipairs(arr) do arr[i] = v + 100 end
print(arr[1], arr[2], arr[3], arr[4])
local grow = {1, 2}
local seen = 0
for i, v in ipairs(grow) do
  seen = seen + 1
  if i < 5 then grow[i + 2] = v end
end
print(seen, #grow)
