-- Fully weak tables ("kv"): an entry goes when either its key or its value dies.
local t = setmetatable({}, {__mode = "kv"})
local a, b, c = {"a"}, {"b"}, {"c"}
t[a] = b          -- both live
t[c] = {"tmp"}    -- value dies
t[{"tmp"}] = c    -- key dies
t.s = {"tmp"}     -- value dies, string key
t.t = a           -- both live
t[1] = {"tmp"}    -- array value dies
t[2] = c          -- array value lives
collectgarbage()
print(t[a] == b, t[c], t.s, t.t == a, t[1], t[2] == c)
local n = 0
for k, v in pairs(t) do n = n + 1 end
print("entries", n)
b = nil
collectgarbage()
print(t[a])
n = 0
for k, v in pairs(t) do n = n + 1 end
print("entries", n)
-- mode strings only need to contain the letters
local u = setmetatable({}, {__mode = "vk_other"})
u[{}] = 1
u[2] = {}
collectgarbage()
print(next(u))
