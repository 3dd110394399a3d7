-- Threads are values of type "thread": tostring, equality, table keys.
local co = coroutine.create(function() end)
print(type(co))
print(tostring(co):match("^thread: 0x%x+$") ~= nil)
print(co == co, co == coroutine.create(function() end), rawequal(co, co))
local t = {}
t[co] = "thread key"
print(t[co])
local other = coroutine.create(print)
t[other] = 2
print(t[co], t[other])
print(string.format("%s", co) == tostring(co))
print(getmetatable(co))
print(pcall(function() return co < co end))
print(pcall(function() return #co end))
print(pcall(function() return co.x end))
