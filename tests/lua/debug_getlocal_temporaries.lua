-- names of slots that are not named locals
local function nolocals()
  return debug.getlocal(1, 1)
end
print(nolocals())

local function c_args(...)
  -- level 0 is getlocal itself: its arguments are C temporaries
  local n, v = debug.getlocal(0, 1)
  print(n, v)
  n, v = debug.getlocal(0, 2)
  print(n, v)
  print(debug.getlocal(0, 3))
end
c_args()

-- a Lua frame below a native one still lists its locals
local function outer_locals()
  local mine = "m"
  return pcall(function() return debug.getlocal(3, 1) end)
end
print(outer_locals())
