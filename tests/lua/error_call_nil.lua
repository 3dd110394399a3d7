-- Calling nil or non-functions names the culprit.
print(pcall(function() undefined_fn() end))
print(pcall(function() local f; f() end))
local up
print(pcall(function() up() end))
local t = {}
print(pcall(function() t.go() end))
print(pcall(function() t:method() end))
print(pcall(function() t.sub.deep() end))
print(pcall(function() local x = 5; x() end))
print(pcall(function() ("str")() end))
print(pcall(function() t[1]() end))
print(pcall(function() local s = "abc"; s:nomethod() end))
