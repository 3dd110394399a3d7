-- Globals are created by assignment and read as nil when absent.
print(undefined_global)
counter = 0
local function bump() counter = counter + 1 end
bump(); bump(); bump()
print(counter)
counter = nil
print(counter)
print(type(print), type(_G), _G.print == print)
_G.viaG = "set through _G"
print(viaG)
rawset(_G, "raw", 42)
print(raw, rawget(_G, "raw"))
