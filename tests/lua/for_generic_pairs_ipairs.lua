-- ipairs stops at the first nil; pairs visits every key (sorted here for determinism).
local t = {10, 20, 30, nil, 50}
for i, v in ipairs(t) do io.write(i, "=", v, " ") end print()
local r = {x = 1, y = 2, z = 3, 4, 5}
local keys = {}
for k in pairs(r) do keys[#keys + 1] = tostring(k) end
-- insertion sort without table.sort
for i = 2, #keys do
  local v, j = keys[i], i - 1
  while j >= 1 and keys[j] > v do keys[j + 1] = keys[j]; j = j - 1 end
  keys[j + 1] = v
end
for _, k in ipairs(keys) do io.write(k, " ") end print()
local sum = 0
for k, v in pairs({a = 1, b = 2, c = 3, 100}) do sum = sum + v end
print(sum)
for _ in pairs({}) do print("never") end
for _ in ipairs({}) do print("never") end
local count = 0
for k, v in next, {1, 2, 3} do count = count + k * v end
print(count)
