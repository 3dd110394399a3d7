-- Calling a missing library function names the field.
print(pcall(function() string.nope() end))
print(pcall(function() math.nothing(1) end))
print(pcall(function() local s = string; s.missing() end))
print(pcall(function() local t = {inner = {}}; t.inner.f() end))
print(pcall(function() io.nowrite("x") end))
