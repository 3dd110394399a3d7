-- debug.getinfo of the main chunk, at its own level and as a function value
local t = debug.getinfo(1)
print(t.what, t.source, t.short_src, t.linedefined, t.lastlinedefined)
print(t.nups, t.nparams, t.isvararg, t.currentline, t.name, t.namewhat, t.istailcall)
local main = t.func
local m = debug.getinfo(main, "Su")
print(m.what, m.linedefined, m.nups, m.isvararg)
print((debug.getupvalue(main, 1)))
print(debug.getupvalue(main, 1) == "_ENV", select(2, debug.getupvalue(main, 1)) == _ENV)

-- a function called from the main chunk sees it at level 2
local function lvl()
  local c = debug.getinfo(2, "Sl")
  return c.what, c.currentline
end
print(lvl())

-- a chunk made by load has the source text as its source
local chunk = load("return debug.getinfo(1, 'S')")
local c = chunk()
print(c.what, c.source, c.short_src, c.linedefined)
local named = load("return debug.getinfo(1, 'S')", "=mychunk")()
print(named.source, named.short_src)
local at = load("return debug.getinfo(1, 'S')", "@other.lua")()
print(at.source, at.short_src)
