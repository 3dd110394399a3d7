-- loadfile: compile a file without running it.
local f = loadfile("mods/multi.lua")
print(type(f))
print(f("arg"))
print(loadfile("mods/does_not_exist.lua"))
print(loadfile("mods/syntax_error.lua"))
print(loadfile("mods/shebang.lua")())
print(loadfile("mods/multi.lua", "b"))
local env = {x = "from env"}
local u = loadfile("mods/uses_env.lua", "t", env)
print(u())
print(u())
print(env.counter, counter)
print(pcall(loadfile, {}))
