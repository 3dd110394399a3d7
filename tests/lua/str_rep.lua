-- string.rep with counts, separators, zero and negative counts.
print(("ab"):rep(3), ("ab"):rep(3, ","), ("x"):rep(1, "-"))
print("[" .. ("x"):rep(0) .. "]", "[" .. ("x"):rep(-5) .. "]", "[" .. (""):rep(5) .. "]")
print(#("abc"):rep(1000), #(""):rep(10, "ab"))
print(string.rep(5, 2), string.rep("a", 2, 3))
print(pcall(string.rep, "x"))
print(pcall(string.rep))
