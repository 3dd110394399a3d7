-- io.lines() and io.read() use the default input file.
local name = os.tmpname()  -- unique: configurations run concurrently
local f = assert(io.open(name, "w"))
f:write("10\n20\n30\n")
f:close()
io.input(name)
print(io.read("n"))
for l in io.lines() do io.write("[", l, "]") end
print()
print(io.read())
print(io.type(io.input()))
io.input():seek("set")
for a, b in io.lines(nil, "n", "n") do print(a, b) end
io.input():close()
io.input(io.stdin)
print(io.read())
os.remove(name)
