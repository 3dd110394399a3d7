-- An expression cut off by the end of the file.
local x = 1 +
