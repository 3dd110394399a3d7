-- The package table.
print(type(package.path), type(package.cpath), type(package.loaded), type(package.preload))
print(package.config)
print(#package.searchers, type(package.searchers[1]), type(package.searchpath))
print(type(require))
print(package.path:sub(-24))
-- package.path is read at each require
package.path = "./mods/?.lua"
print(require("hello").name)
-- replacing package.loaded does not change what require consults
local real = package.loaded
package.loaded = {}
print(require("hello") == real.hello)
package.loaded = real
print(pcall(function() package.path = nil; return require("not_there") end))
