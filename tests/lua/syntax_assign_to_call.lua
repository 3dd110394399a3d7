-- Assignment to a call result.
local t = {}
f() = 1
