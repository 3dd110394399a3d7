-- Globals are created by assignment and read as nil when absent.
print(undefined_global)
counter = 0
local function bump() counter = counter + 1 end
bump(); bump(); bump()
print(counter)
counter = nil
print(counter)
print(type(print), type(string), print == print)
local function set_global(v) shared_name = v end
set_global("set in a function")
print(shared_name)
local shadow = "local"
local function read() return shadow, shared_name end
shared_name = "changed"
print(read())
