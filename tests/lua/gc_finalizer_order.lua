-- Finalizers run in the reverse order the objects were marked for finalization (the
-- order of their setmetatable calls), after the collection that found them dead.
local log = {}
local mt = {__gc = function(o) log[#log + 1] = o.id end}
local objs = {}
for i = 1, 6 do objs[i] = setmetatable({id = i}, mt) end
-- mark in a different order than creation
local late = {id = "late"}
local early = setmetatable({id = "early"}, mt)
setmetatable(late, mt)
objs[7], objs[8] = early, late
for i = 1, 8 do if i % 2 == 0 then objs[i] = nil end end
collectgarbage()
print(table.concat(log, " "))
log = {}
objs = nil
collectgarbage()
print(table.concat(log, " "))
-- setting a metatable again does not mark twice
log = {}
local o = setmetatable({id = "twice"}, mt)
setmetatable(o, mt)
setmetatable(o, {})
o = nil
collectgarbage()
print(table.concat(log, " "), #log)
-- nested: an object reachable from a dying finalizable object is finalized in the same
-- cycle, after the newer one
log = {}
local outer = setmetatable({id = "outer"}, mt)
outer.inner = setmetatable({id = "inner"}, mt)
outer = nil
collectgarbage()
print(table.concat(log, " "))
