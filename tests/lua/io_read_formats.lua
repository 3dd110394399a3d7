-- read formats l L a n and byte counts, with and without the old '*' prefix.
local name = os.tmpname()  -- unique: configurations run concurrently
local f = assert(io.open(name, "w"))
f:write("first line\nsecond line\n\nlast without newline")
f:close()

f = assert(io.open(name))
print(f:read("l"))
print(f:read("L"))
print(f:read("*l"))
print(f:read(4), f:read(0), f:read(3))
print(f:read("*a"))
print(f:read("a"), f:read("l"), f:read(0), f:read(1), f:read("L"))
f:close()

f = assert(io.open(name))
print(f:read())
f:close()

f = assert(io.open(name))
print(f:read(1000))
f:close()
os.remove(name)
