-- When the program ends, the finalizers of all objects marked for finalization run,
-- reachable or not, newest first.
local mt = {__gc = function(o) print("closing", o.id) end}
global_obj = setmetatable({id = "global"}, mt)
local objs = {}
for i = 1, 3 do objs[i] = setmetatable({id = i}, mt) end
local temp = setmetatable({id = "temp"}, {__gc = function(o)
  -- finalizers that run at exit may still print and allocate
  local t = {}
  for i = 1, 100 do t[i] = {i} end
  print("temp finalizer", #t, o.id)
end})
objs[4] = setmetatable({id = 4}, mt)
print("end of script")
