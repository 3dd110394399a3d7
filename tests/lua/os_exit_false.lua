-- os.exit(false) is failure.
io.write("no newline at end")
os.exit(false)
