-- A number literal glued to letters.
local n = 3x
