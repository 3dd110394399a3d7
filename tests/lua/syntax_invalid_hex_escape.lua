-- An invalid hex escape.
local s = "\xZZ"
