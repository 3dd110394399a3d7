-- Weak values: unreachable tables and closures leave the table at the next collection;
-- strings, numbers and booleans never do; the array part is weak too.
local cache = setmetatable({}, {__mode = "v"})
local all, keep = {}, {}
local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end
local function fill()
  for i = 1, 10 do
    local t = {id = i}
    all[i] = t
    cache[i] = t
    cache["k" .. i] = t
    if i % 3 == 0 then keep[#keep + 1] = t end
  end
end
fill()
cache.str = "a string" .. 1
cache.num = 42
cache.flag = false
all.fn = function() return 1 end
cache.fn = all.fn
local f = function() return 2 end
cache.kept_fn = f
print("before", count(cache))
all = nil
collectgarbage()
local function present(prefix)
  local ids = {}
  for i = 1, 10 do
    local v = cache[prefix and prefix .. i or i]
    if v then ids[#ids + 1] = v.id end
  end
  return table.concat(ids, ",")
end
print("array ids", present())
print("hash ids", present("k"))
print(cache.str, cache.num, cache.flag, cache.fn, cache.kept_fn == f)
print("after collect", count(cache))
keep = nil
collectgarbage()
print("after dropping keep", count(cache), cache[3], cache.k9)
