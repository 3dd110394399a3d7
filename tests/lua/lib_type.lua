-- type names for every kind of value.
print(type(nil), type(true), type(1), type(1.5), type("s"), type({}), type(print), type(function() end))
print(type(type), type(type(nil)), type(math.huge), type(string), type(math))
print(pcall(type))
print(type(nil) == "nil", type(x) == "nil")
