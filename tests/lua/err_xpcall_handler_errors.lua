-- An error inside the handler is handled by the handler again; when that never ends the
-- result is "error in error handling".
print(xpcall(function() error("x") end, function(m) error("y") end))
local n = 0
local ok, e = xpcall(function() error("x") end, function(m) n = n + 1; error(m, 0) end)
print(ok, e, n > 100)
-- the handler recovers after a few nested failures: its value is the result
n = 0
ok, e = xpcall(function() error("x", 0) end, function(m)
  n = n + 1
  if n < 4 then error(m .. "+" .. n, 0) end
  return "final " .. m
end)
print(ok, e, n)
-- a handler that is not callable at error time
print(pcall(xpcall, function() error("x") end))
print(pcall(xpcall, function() return 1 end, 5))
