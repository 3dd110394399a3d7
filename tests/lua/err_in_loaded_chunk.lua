-- Errors inside loaded chunks carry the chunk's name.
print(pcall(load("error('in string chunk')")))
print(pcall(load("local t = nil\nreturn t.x", "=mychunk")))
print(pcall(load("return 1 + {}", "@virtual.lua")))
print(pcall(load("local a = ...; return a.b.c")))
print(pcall(load(string.rep("x", 100) .. " = nil; error('long')")))
print(pcall(load("\n\nerror('line three')", "=(multi)")))
print(pcall(load("return function() error('inner') end")()))
