-- debug.debug reads commands from stdin; with no input it returns at once
local x = 5
print("before")
debug.debug()
print("after", x)
