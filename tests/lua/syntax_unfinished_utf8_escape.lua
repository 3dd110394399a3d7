-- An unfinished \u escape.
local s = "\u{41"
