-- method calls on string literals and numbers
print(("x"):upper(), ("abc"):len(), ("a,b"):find(","), ("%d"):format(42))
print(("hello"):sub(2, -2), ("x"):rep(3, "-"))
local s = "world"
print(s:upper(), s:byte(1), #s:rep(2))
print(type(("x").upper), ("x").upper == string.upper)
local function try(f) local ok, e = pcall(f); print(ok, e) end
try(function() return (5):type() end)
try(function() local n = 5; return n:type() end)
try(function() return ("x"):nosuch() end)
try(function() local b = true; return b:foo() end)
try(function() return (nil):foo() end)
try(function() local t = {}; return t:missing() end)
try(function() return math:floor() end)
try(function() return string.nope() end)
-- indexing numbers and strings
try(function() local n = 1; return n.x end)
print(type(("abc").len), ("abc")[1], ("abc").nosuch)
-- string literal forms with methods
print(([[long]]):upper(), ('q'):byte(), ("\65"):lower())
