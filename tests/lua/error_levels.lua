-- error's level argument picks whose line the message names.
local function check(v)
  if type(v) ~= "number" then error("expected number", 2) end
  return v
end
local function user()
  local v = check("x")
  return v
end
print(pcall(user))
local function tail_user()
  return check("x")
end
print(pcall(tail_user))
local function lvl1() error("at level 1", 1) end
print(pcall(lvl1))
local function lvl3inner() error("level 3", 3) end
local function lvl3mid() lvl3inner() end
local function lvl3outer() lvl3mid() end
print(pcall(lvl3outer))
print(pcall(error, "level 1 from pcall", 1))
print(pcall(function() error("table level", 2) end))
local ok, e = pcall(function() error({code = 7}, 2) end)
print(ok, type(e), e.code)
