-- Two table items without a separator between them.
local a = 1
local b = {a = 1 2}
