-- Strings share a metatable whose __index is the string table.
local s = "hello"
print(s:upper(), s:len(), ("x"):rep(3), ("%d-%s"):format(5, "a"), #s)
print(s.len == string.len, ("abc"):sub(2), s:byte(1, 2))
print(("a,b,c"):find(",", 1, true), ("path/to/file"):match("[^/]+$"))
-- methods added to the string table are visible to every string
function string.shout(str) return str:upper() .. "!" end
print(("hey"):shout())
string.shout = nil
print(pcall(function() return ("hey"):shout() end))
-- indexing a string with a key the string table lacks
print(("abc").nothing, s[1])
-- numbers have no metatable
print(pcall(function() local n = 5 return n:foo() end))
print(pcall(function() local n = 5 return n.x end))
