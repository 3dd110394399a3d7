-- error(msg, 0) adds no position, even uncaught.
print("x")
error("no position here", 0)
