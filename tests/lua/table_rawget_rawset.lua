-- rawget/rawset/rawequal/rawlen behave like plain access without metatables.
local t = {}
print(rawset(t, "k", "v") == t, rawget(t, "k"), t.k)
rawset(t, 1, "one")
print(rawget(t, 1), rawget(t, 1.0), rawlen(t))
print(rawget(t, "absent"))
print(pcall(rawset, t, nil, 1))
print(pcall(rawget, "str", 1))
print(pcall(rawset, 5, 1, 1))
print(rawequal(t, t), rawequal(t, {}), rawequal("a", "a"), rawequal(1, 1.0))
print(pcall(rawequal, 1))
print(rawlen({1, 2, 3}), rawlen(""))
