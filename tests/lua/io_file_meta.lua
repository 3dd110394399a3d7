-- The file metatable: __name, methods behind __index, __tostring.
local mt = getmetatable(io.stdout)
print(mt == getmetatable(io.stdin), mt.__name)
local keys = {}
for k in pairs(mt) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
keys = {}
for k, v in pairs(mt.__index) do keys[#keys + 1] = k .. ":" .. type(v) end
table.sort(keys)
print(table.concat(keys, " "))
print(mt.__tostring(io.stdout):match("^file %(0x%x+%)$") ~= nil)
local name = os.tmpname()  -- unique: configurations run concurrently
local f = assert(io.open(name, "w"))
f:close()
print(mt.__tostring(f))
print(io.stdout.write == io.stderr.write, io.stdout.read == f.read)
print(pcall(mt.__index.read, 1))
print(pcall(mt.__index.close, "x"))
os.remove(name)
