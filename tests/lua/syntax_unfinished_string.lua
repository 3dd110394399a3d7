-- A string broken by a newline.
print("ok")
local s = "abc
print(s)
