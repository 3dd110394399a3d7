-- debug.getlocal lists the active locals of a frame, in order
local function list(level)
  local out = {}
  local n = 1
  while true do
    local name, value = debug.getlocal(level + 1, n)
    if not name then break end
    if type(value) == "function" or type(value) == "table" then value = type(value) end
    out[#out + 1] = name .. "=" .. tostring(value)
    n = n + 1
  end
  return table.concat(out, " ")
end

local a = 1
local b = "two"
print(list(1))

for i = 10, 12 do
  local sq = i * i
  print(list(1))
end

for k, v in ipairs({"x", "y"}) do
  print(list(1))
end

do
  local inner = true
  print(list(1))
end
-- after its block the local is gone
print(list(1))

local function f(p, q)
  local r = p + q
  print(list(1))
  do
    local s = r * 2
    print(list(1))
  end
  print(list(1))
  return r
end
f(3, 4)

-- a local declared but not yet assigned is not active
local before = list(1)
local late = 5
print(before)
print(list(1))
