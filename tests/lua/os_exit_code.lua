-- os.exit flushes buffered output and ends with the given status.
io.write("buffered ")
print("output")
io.stdout:write("before exit\n")
os.exit(3)
print("unreached")
