-- Upvalues are not saved: the loaded function gets fresh ones; the first is _ENV.
local up = 5
local function getup() return up end
local ok, e = pcall(load(string.dump(getup)))
print(ok, type(e))
local function noenv() local x = up return x end
print(type(load(string.dump(noenv))()))
-- a function whose only upvalue is _ENV sees the globals
Y = "global Y"
local function envonly() return Y end
print(load(string.dump(envonly))())
-- with an explicit env table
print(load(string.dump(envonly), "x", "b", {Y = "env Y"})())
-- counter closure: upvalue starts as nil after loading
local function mk() local n = 0 return function() n = (n or 100) + 1 return n end end
local c = mk()
print(c(), c())
local cd = load(string.dump(c))
print(pcall(cd))
