-- xpcall calls the handler with the error value and returns false plus its first result.
local function h(m) return "handled: " .. tostring(m) end
print(xpcall(function() error("boom") end, h))
print(xpcall(function() error("boom", 0) end, h))
print(xpcall(function() local x; return x.y end, h))
print(xpcall(function() error({code = 7}) end, function(e) return e.code end))
print(xpcall(function() error() end, function(e) return type(e) end))
-- extra results of the handler are dropped; no result gives nil
print(xpcall(error, function(m) return 1, 2, 3 end, "x"))
print(xpcall(error, function(m) end, "x"))
-- success: true and every result, arguments passed through
print(xpcall(function(...) return select('#', ...), ... end, h, 1, nil, 3))
print(xpcall(string.rep, h, "ab", 3))
-- a native handler
print(xpcall(error, tostring, 12))
print(xpcall(error, type, nil))
