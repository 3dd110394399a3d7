-- An unfinished table constructor.
local t = {1, 2,
