-- os.exit(true) is success, after flushing.
print("bye")
os.exit(true, true)
