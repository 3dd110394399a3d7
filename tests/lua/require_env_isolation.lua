-- A required module runs with the global environment, whatever the caller's _ENV.
local G = _G
local result
do
  local _ENV = {require = require}
  result = require("mods.uses_env")
end
print(result, counter, G.counter)
