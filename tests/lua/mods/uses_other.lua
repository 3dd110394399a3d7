-- helper: a module that requires another one
local h = require("mods.hello")
return { other = h.greet("other") }
