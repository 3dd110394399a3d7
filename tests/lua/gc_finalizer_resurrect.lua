-- A finalizer may resurrect its object. Resurrected objects leave weak values before the
-- finalizer runs, but stay as weak keys until they are really freed; a finalizer runs
-- once unless the object is marked again with setmetatable.
local saved
local count = 0
local mt = {__gc = function(o) count = count + 1; saved = o end}
local wv = setmetatable({}, {__mode = "v"})
local wk = setmetatable({}, {__mode = "k"})
local x = setmetatable({name = "x", child = {name = "child"}}, mt)
wv.x = x
wv.child = x.child
wk[x] = "key entry"
x = nil
collectgarbage()
print(count, saved.name, saved.child.name, wv.x, wv.child, wk[saved])
local again = saved
saved = nil
collectgarbage()
print(count, saved, wk[again])
again = nil
collectgarbage()
print(count, next(wk))
-- marked again: finalized again
local y = setmetatable({name = "y"}, mt)
y = nil
collectgarbage()
print(count, saved.name)
setmetatable(saved, mt)
saved = nil
collectgarbage()
print(count, saved and saved.name)
saved = nil
collectgarbage()
print(count, saved)
