-- debug.getinfo of Lua functions: the 'S', 'u', 'l', 't', 'r' and 'f' fields
local function show(t)
  print(t.what, t.source, t.short_src, t.linedefined, t.lastlinedefined)
  print(t.nups, t.nparams, t.isvararg, t.currentline, t.istailcall)
end

local up1, up2 = 1, 2
local function f(a, b, c)
  local info = debug.getinfo(1)
  return info, up1 + up2
end

local info = f()
show(info)
print(info.func == f, info.ftransfer, info.ntransfer, info.activelines)

local function g(...)
  return up1
end
show(debug.getinfo(g))
show(debug.getinfo(g, "S"))

-- only the requested groups are filled
local s = debug.getinfo(g, "S")
print(s.nups, s.currentline, s.func, s.name)
local u = debug.getinfo(g, "u")
print(u.source, u.nups, u.nparams, u.isvararg)
local l = debug.getinfo(g, "l")
print(l.currentline, l.what)
local e = debug.getinfo(g, "")
print(next(e))

-- a function value has no current line and no name
local fi = debug.getinfo(f, "lnf")
print(fi.currentline, fi.name, fi.namewhat == "", fi.func == f)

-- a nested function defined over several lines
local function outer()
  local function inner(x,
                       y)
    return x
  end
  return debug.getinfo(inner, "Su")
end
local o = outer()
print(o.linedefined, o.lastlinedefined, o.nparams, o.nups, o.what)
