-- Finalizers also run when the script ends with an error.
local obj = setmetatable({}, {__gc = function() print("finalized after error") end})
print("before")
error("failure")
