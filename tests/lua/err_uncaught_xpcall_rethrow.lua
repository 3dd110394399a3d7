-- A handler's result can be raised again, uncaught.
local ok, e = xpcall(function() error("first", 0) end, function(m) return "wrapped(" .. m .. ")" end)
print(ok, e)
error(e, 0)
