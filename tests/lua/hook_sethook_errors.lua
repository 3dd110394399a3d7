-- Argument errors of debug.sethook.
print(pcall(debug.sethook, print))
print(pcall(debug.sethook, "x", "l"))
print(pcall(debug.sethook, print, {}))
print(pcall(debug.sethook, print, "l", "x"))
print(debug.gethook())
