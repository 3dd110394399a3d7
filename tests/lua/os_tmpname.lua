-- os.tmpname creates a fresh file and returns its name.
local n1, n2 = os.tmpname(), os.tmpname()
print(type(n1), n1 ~= n2)
print(n1:match("^/tmp/lua_%w%w%w%w%w%w$") ~= nil)
local f = io.open(n1)
print(io.type(f), f:read("a"))
f:close()
print(os.remove(n1), os.remove(n2))
