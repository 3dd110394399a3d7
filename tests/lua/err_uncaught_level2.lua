-- An uncaught error with level 2 is reported at the caller's line.
local function check(x)
  if type(x) ~= "number" then error("expected a number", 2) end
  return x
end
print(check(1))
check("no")
