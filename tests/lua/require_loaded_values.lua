-- What require stores in package.loaded.
print(require("mods.returns_nothing"))
print(package.loaded["mods.returns_nothing"], nothing_loaded)
print(require("mods.returns_nothing"), nothing_loaded)
print(require("mods.sets_loaded").custom)
-- preset values are returned without searching
package.loaded.fake = "preset"
print(require("fake"))
package.loaded.fake = false
print(pcall(require, "fake") == false)
-- the standard libraries are there
print(package.loaded._G == _G, package.loaded.string == string, package.loaded.table == table)
print(package.loaded.math == math, package.loaded.package == package)
print(require("string") == string, select('#', require("string")))
