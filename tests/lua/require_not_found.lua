-- The message lists what every searcher tried.
package.path = "./?.lua;./mods/?.lua;./?/init.lua"
package.cpath = "./?.so"
print(pcall(require, "no.such.module"))
print(pcall(require, "plain"))
package.path = "./?.lua;;"
local ok, msg = pcall(require, "zzz")
print(ok, (msg:match("^[^\n]*\n[^\n]*\n[^\n]*")))
print(pcall(require))
print(pcall(require, {}))
