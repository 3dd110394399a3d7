-- pcall of a non-function reports the call error as its result.
print(pcall(5))
print(pcall(nil))
print(pcall({}))
print(pcall("str"))
print(pcall(pcall, 5))
print(select("#", pcall(nil)))
