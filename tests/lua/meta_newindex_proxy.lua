-- A proxy: all reads and writes go through __index/__newindex to a hidden store.
local log = {}
local function proxy(store)
  return setmetatable({}, {
    __index = function(_, k) log[#log + 1] = "get " .. tostring(k); return store[k] end,
    __newindex = function(_, k, v) log[#log + 1] = "set " .. tostring(k) .. "=" .. tostring(v); store[k] = v end,
    __len = function() return #store end,
  })
end
local store = {}
local p = proxy(store)
p.x = 1
p[1] = "one"
p.x = p.x + 1
print(p.x, store.x, rawget(p, "x"), #p)
for _, l in ipairs(log) do print(l) end
-- __newindex only fires for absent keys
local seen = 0
local t = setmetatable({a = 1}, {__newindex = function(tb, k, v) seen = seen + 1; rawset(tb, k, v * 10) end})
t.a = 2
t.b = 3
t.b = 4
print(t.a, t.b, seen)
