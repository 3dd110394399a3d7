-- A number with two decimal points.
local n = 1.2.3
