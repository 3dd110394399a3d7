-- require finds ./mods/hello.lua through package.path, passes (name, file), caches it.
local h, file = require("mods.hello")
print(h.name, h.file, file)
print(h.greet("world"))
print(hello_loads)
local again, file2 = require("mods.hello")
print(again == h, file2, hello_loads)
print(package.loaded["mods.hello"] == h)
-- a module requiring another
local o = require("mods.uses_other")
print(o.other, hello_loads)
-- a package through ./?/init.lua
local p, pf = require("mods.pkg")
print(p.from, p.args, p.name, pf)
