-- An invalid escape sequence.
local s = "bad \q escape"
