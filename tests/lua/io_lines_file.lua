-- file:lines and io.lines with formats; io.lines closes its file at the end.
local name = os.tmpname()  -- unique: configurations run concurrently
local f = assert(io.open(name, "w"))
f:write("alpha\nbeta\n\ngamma")
f:close()

for l in io.lines(name) do io.write("[", l, "]") end
print()
for l in io.lines(name, "L") do io.write("[", l, "]") end
print()
for a, b in io.lines(name, 1, 2) do io.write("<", a, "|", tostring(b), ">") end
print()
local it, s, c, closer = io.lines(name)
print(type(it), s, c, io.type(closer))
print(it(), it(), it(), it(), it())
print(io.type(closer))
print(select("#", io.lines(name)))

f = assert(io.open(name))
local n = 0
for l in f:lines() do n = n + 1 end
print(n, io.type(f))
print(f:read("a"))
f:seek("set")
for w in f:lines("n") do print(w) end
f:close()

f = assert(io.open(name, "w"))
f:write("1 2 3\n4 5 6\n")
f:close()
for a, b, c in io.lines(name, "n", "n", "n") do print(a + b + c) end
os.remove(name)
