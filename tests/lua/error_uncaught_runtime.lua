-- An uncaught runtime error carries chunk name, line and variable name.
local t = {}
print(#t)
print(t.field.subfield)
