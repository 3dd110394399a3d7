-- Modules that fail to compile or to run.
local ok, msg = pcall(require, "mods.syntax_error")
print(ok, msg)
print(pcall(require, "mods.raises"))
print(package.loaded["mods.raises"], raises_attempts)
raises_ok = true
print(require("mods.raises"))
print(require("mods.raises"), raises_attempts)
