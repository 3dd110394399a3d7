-- Integral floats print as floats but convert where an integer is required.
print(3.0, -3.0, 1e15, 1e16, 2^63, -2^63)
print(math.tointeger(3.0), math.tointeger(2^53), math.tointeger(-2^63), math.tointeger(2^63))
print(math.tointeger(1.5), math.tointeger("8"), math.tointeger(7))
print(string.format("%d", 3.0), string.format("%d", -0.0), ("ab"):rep(2.0))
print(pcall(string.format, "%d", 1.5))
print(pcall(string.format, "%d", 2^63))
print(pcall(string.rep, "x", 1.5))
print(string.format("%d", "10"), ("x"):rep("3"))
