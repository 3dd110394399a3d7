-- helper module for require_* and load_* tests
local name, file = ...
hello_loads = (hello_loads or 0) + 1
return { name = name, file = file, greet = function(who) return "hello " .. who end }
