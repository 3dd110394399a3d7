-- A memoizing cache with weak values: results in use stay cached, others are dropped.
local cache = setmetatable({}, {__mode = "v"})
local made = 0
local function get(n)
  local r = cache[n]
  if not r then
    made = made + 1
    r = {n = n, sq = n * n}
    cache[n] = r
  end
  return r
end
local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end
local held, all = {}, {}
local function fill()
  for i = 1, 100 do
    local r = get(i % 20)
    all[#all + 1] = r
    if i % 20 < 5 then held[#held + 1] = r end
  end
end
fill()
print("made", made, "cached", count(cache))
all = nil
collectgarbage()
print("cached after collect", count(cache))
local function refill()
  for i = 1, 5 do all = get(i % 20) end
end
refill()
print("made", made)
held, all = nil, nil
collectgarbage()
print("empty", next(cache) == nil)
-- reverse lookup with weak keys
local names = setmetatable({}, {__mode = "k"})
local function name(obj, s) names[obj] = s; return obj end
local a = name({}, "a")
local b = name({}, "b")
b = nil
collectgarbage()
local list = {}
for k, v in pairs(names) do list[#list + 1] = v end
print(table.concat(list, ","))
