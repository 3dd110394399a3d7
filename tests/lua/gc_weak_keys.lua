-- Weak keys: an entry goes when its key object is unreachable; values of live keys stay
-- (even values that are reachable only from the table); string and number keys stay.
local props = setmetatable({}, {__mode = "k"})
local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end
local objs = {}
for i = 1, 6 do
  objs[i] = {name = "obj" .. i}
  props[objs[i]] = {size = i * 10}
end
props["name"] = {size = 0}
props[7] = {size = 7}
props[true] = "yes"
objs[2], objs[4], objs[6] = nil, nil, nil
collectgarbage()
local function sizes()
  local out = {}
  for i = 1, 6 do
    local o = objs[i]
    if o then out[#out + 1] = o.name .. "=" .. props[o].size end
  end
  return table.concat(out, " ")
end
print(sizes())
print("entries", count(props), props.name.size, props[7].size, props[true])
-- a key stored only as the value of its own entry is not kept alive by it
local function self_ref()
  local k = {}
  props[k] = k
end
self_ref()
print("entries with self-reference", count(props))
collectgarbage()
print("entries after collect", count(props))
-- functions as weak keys
local fkeys = setmetatable({}, {__mode = "k"})
local live = function() end
fkeys[live] = 1
local function add_temp() fkeys[function() end] = 2 end
add_temp()
collectgarbage()
print("fkeys", count(fkeys), fkeys[live])
-- removing an entry by hand and collecting
props[objs[1]] = nil
objs[1] = nil
collectgarbage()
print("entries", count(props), sizes())
