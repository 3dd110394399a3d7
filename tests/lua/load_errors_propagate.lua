-- Errors raised while running a loaded chunk propagate to the caller.
local f = load("local a = ...; if a then error('flagged: ' .. a) end; return 'clean'", "=flag")
print(f())
print(pcall(f, "x"))
print(pcall(f, {}))
-- uncaught, it ends the program with the chunk's position
f("fatal")
print("not reached")
