-- io.type: "file", "closed file", or nil.
print(io.type(io.stdin), io.type(io.stdout), io.type(io.stderr))
print(io.type(nil), io.type(1), io.type("file"), io.type({}), io.type(print))
print(pcall(io.type))
local name = os.tmpname()  -- unique: configurations run concurrently
local f = assert(io.open(name, "w"))
print(io.type(f))
f:close()
print(io.type(f))
print(io.type(setmetatable({}, getmetatable(io.stdout))))
os.remove(name)
