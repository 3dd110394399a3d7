-- An uncaught error ends the script: stdout so far, status 1, message on stderr.
print("start")
local function fail(n) if n == 0 then error("boom at the bottom") end fail(n - 1) end
fail(3)
print("unreachable")
