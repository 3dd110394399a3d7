-- return: the results are computed before the variables are closed, and the
-- closing cannot change them
local function closer(name, t)
  return setmetatable({}, { __close = function()
    print("close " .. name)
    if t then t.v = "changed" end
  end })
end

local function f()
  local t = { v = "orig" }
  local x <close> = closer("x", t)
  local v = t.v
  return v, t.v, (function() print("computing") return "c" end)()
end
print(f())

local function g(...)
  local y <close> = closer("y")
  return ...
end
print(g(1, nil, 3))
print(select("#", g()))
print(select("#", g(nil, nil)))

local function h(n)
  local z <close> = closer("z" .. n)
  if n > 0 then
    return n, h(n - 1)
  end
  return "base"
end
print(h(2))

local function early(flag)
  local a <close> = closer("a")
  if flag then
    local b <close> = closer("b")
    return "early"
  end
  return "late"
end
print(early(true))
print(early(false))
