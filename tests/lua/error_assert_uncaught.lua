-- An uncaught failed assert.
local x = 5
assert(x == 5, "first passes")
assert(x == 6, "x should be 6")
