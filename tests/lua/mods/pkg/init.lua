-- helper: a package found through ./?/init.lua
return { from = "init", args = select('#', ...), name = ... }
