-- Inside a finalizer, collectgarbage fails (returns nil) for every option; objects made
-- finalizable by a finalizer are finalized by a later collection.
local log = {}
local mt = {}
local holder = {}
mt.__gc = function(o)
  log[#log + 1] = o.id .. ":" .. tostring(collectgarbage()) .. "," ..
    tostring(collectgarbage("count")) .. "," .. tostring(collectgarbage("isrunning")) ..
    "," .. tostring(collectgarbage("step")) .. "," .. tostring(collectgarbage("incremental"))
  if o.id < 3 then
    holder[1] = setmetatable({id = o.id + 1}, mt)
  end
end
holder[1] = setmetatable({id = 1}, mt)
holder[1] = nil
collectgarbage()
print(#log, log[1])
holder[1] = nil
collectgarbage()
print(#log, log[2])
holder[1] = nil
collectgarbage()
print(#log, log[3])
collectgarbage()
print(#log, holder[1])
print(collectgarbage("incremental"))
