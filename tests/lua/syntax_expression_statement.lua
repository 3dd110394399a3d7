-- An expression statement that is not a call.
local a = 1
a
print(a)
