-- the 'n' option: how the caller named the function
local function name_of_caller()
  local t = debug.getinfo(2, "n")
  return tostring(t.name) .. " " .. t.namewhat
end

local function localf() return name_of_caller() end
function globalf() return name_of_caller() end
local obj = {}
function obj.field() return name_of_caller() end
function obj:method() return name_of_caller() end
local function viaupvalue() return localf() end

print(localf())
print(globalf())
print(obj.field())
print(obj:method())
print(viaupvalue())

local up = localf
local function callsup() local r = up() return r end
print(callsup())

-- metamethods are named by their event
local mt = {
  __index = function(t, k) return name_of_caller() end,
  __add = function(a, b) return name_of_caller() end,
  __call = function(self) return name_of_caller() end,
  __len = function(self) return name_of_caller() end,
  __concat = function(a, b) return name_of_caller() end,
}
local o = setmetatable({}, mt)
print(o.missing)
print(o + 1)
print(#o)
print(o .. "x")

-- an iterator of a generic for
for v in function(s, c)
  if c then return nil end
  return name_of_caller()
end do
  print(v)
end

-- a native function named at the call site
local function native_name()
  return debug.getinfo(1, "n")
end
local gi = debug.getinfo
local t = gi(0, "n")
print(t.name, t.namewhat)
t = debug.getinfo(0, "n")
print(t.name, t.namewhat)
