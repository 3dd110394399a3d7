-- package.preload loaders are found first and get (name, ":preload:").
package.preload.virtual = function(...)
  print("loading", ...)
  return {ok = true}
end
local v, data = require("virtual")
print(v.ok, data)
print(require("virtual") == v)
package.preload["mods.hello"] = function() return "preloaded instead" end
print(require("mods.hello"))
package.preload.broken = function() error("preload failed", 0) end
print(pcall(require, "broken"))
print(package.loaded.broken)
package.preload.nothing = function() end
print(require("nothing"))
