-- os.execute: shell availability, exit statuses and signals as `true|nil, what, code`.
print(os.execute())
print(os.execute("exit 0"))
print(os.execute("exit 3"))
print(os.execute("exit 300"))
print(os.execute("kill -9 $$"))
print(os.execute("true && false"))
print(pcall(os.execute, {}))
print(select("#", os.execute("true")))
-- package.loadlib exists; apogee loads no C code (lua5.4 fails to open the file here).
print(type(package.loadlib), (package.loadlib("/nonexistent/lib.so", "f")))
print(pcall(package.loadlib))
print(pcall(package.loadlib, "x.so"))
print(os.execute("exit 5\0ignored after the NUL byte"))
