-- The metatable's __mode is read when the collector traverses the table, so it can be
-- set or changed after setmetatable.
local mt = {}
local t = setmetatable({}, mt)
t[1] = {}
collectgarbage()
print("strong", t[1] ~= nil)
mt.__mode = "v"
collectgarbage()
print("now weak", t[1])
t[1] = {}
mt.__mode = nil
collectgarbage()
print("strong again", t[1] ~= nil)
mt.__mode = "k"
t[1] = nil
t[{}] = 1
t.x = {}
collectgarbage()
local n = 0
for k, v in pairs(t) do n = n + 1 end
print("weak keys only", n, t.x ~= nil)
mt.__mode = 42       -- not a string: strong
t[{}] = 2
collectgarbage()
n = 0
for k, v in pairs(t) do n = n + 1 end
print("number mode is strong", n)
-- a table that is its own metatable
local self = {}
self.__mode = "k"
setmetatable(self, self)
self[{}] = true
collectgarbage()
n = 0
for k, v in pairs(self) do n = n + 1 end
print("own metatable", n)
