-- A deterministic serializer for nested tables (keys sorted by type then value).
local function sort_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  local function less(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "boolean" then return (not a) and b end
    return a < b
  end
  for i = 2, #keys do
    local v, j = keys[i], i - 1
    while j >= 1 and less(v, keys[j]) do keys[j + 1] = keys[j]; j = j - 1 end
    keys[j + 1] = v
  end
  return keys
end
local function serialize(v, depth)
  depth = depth or 0
  if depth > 20 then error("too deep") end
  local tv = type(v)
  if tv == "string" then return string.format("%q", v)
  elseif tv == "number" or tv == "boolean" or tv == "nil" then return tostring(v)
  elseif tv == "table" then
    local parts = {}
    for _, k in ipairs(sort_keys(v)) do
      local ks = type(k) == "string" and k or "[" .. serialize(k, depth + 1) .. "]"
      parts[#parts + 1] = ks .. "=" .. serialize(v[k], depth + 1)
    end
    local out = "{"
    for i, p in ipairs(parts) do out = out .. (i > 1 and "," or "") .. p end
    return out .. "}"
  end
  return "<" .. tv .. ">"
end
print(serialize({1, 2, 3}))
print(serialize({name = "x\ty", list = {true, false}, [10] = 1.5, [true] = "yes", nested = {a = {b = {}}}}))
print(serialize("plain"), serialize(nil), serialize(-0.0), serialize(print))
local loop = {}
loop.self = loop
print(pcall(serialize, loop))
