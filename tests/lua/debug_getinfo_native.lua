-- debug.getinfo of native functions and native stack levels
local p = debug.getinfo(print)
print(p.what, p.source, p.short_src, p.linedefined, p.lastlinedefined)
print(p.nups, p.nparams, p.isvararg, p.currentline, p.name, p.namewhat, p.istailcall)
print(p.func == print, debug.getinfo(print, "L").activelines)

-- level 0 is getinfo itself
local z = debug.getinfo(0, "nSlf")
print(z.what, z.currentline, z.name, z.namewhat, z.func == debug.getinfo)

-- a native frame between Lua frames counts as a level
local function inner()
  local a = debug.getinfo(2, "Sn")
  local b = debug.getinfo(3, "Sl")
  return a.what, a.name, b.what, b.currentline
end
print(pcall(inner))

-- a Lua function called by a native one has no name
local function named()
  local t = debug.getinfo(1, "n")
  return t.name, t.namewhat
end
print(pcall(named))
print(select(2, xpcall(named, print)))

-- functions of the libraries
for _, f in ipairs({string.rep, math.floor, table.insert, debug.traceback}) do
  local t = debug.getinfo(f, "Su")
  print(t.what, t.short_src, t.nparams, t.isvararg)
end
