-- print, io.write and io.stdout:write share one stream; stderr gets its own.
print("one")
io.write("two", "\n")
io.stdout:write("three\n")
print(io.write("four ") == io.stdout)
io.stderr:write("to stderr\n")
print("five")
io.output():write("six\n")
for i = 1, 3 do io.write(i, i < 3 and "," or "\n") end
