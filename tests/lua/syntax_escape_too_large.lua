-- A decimal escape too large for a byte.
local s = "\300"
