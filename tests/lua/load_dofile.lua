-- dofile runs a file and returns all its results; errors propagate.
print(dofile("mods/multi.lua"))
print(select('#', dofile("mods/returns_nothing.lua")))
print(nothing_loaded)
print(pcall(dofile, "mods/does_not_exist.lua"))
print(pcall(dofile, "mods/syntax_error.lua"))
print(pcall(dofile, "mods/raises.lua"))
raises_ok = true
print(dofile("mods/raises.lua"))
print(dofile("mods/shebang.lua"))
