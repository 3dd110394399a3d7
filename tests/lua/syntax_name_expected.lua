-- A name expected after local.
local 5 = 1
