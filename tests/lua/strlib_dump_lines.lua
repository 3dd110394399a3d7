-- Errors inside a dumped and reloaded function keep their chunk name and lines.
local function bad(x)
  local y = x + 1
  error("boom " .. y)
end
print(pcall(load(string.dump(bad)), 1))
local function bad2(t) return t.x.y end
print(pcall(load(string.dump(bad2)), {}))
local f = load(string.dump(bad2))
print(pcall(f, {x = {y = 3}}))
print(#string.dump(bad) >= #string.dump(bad, true))
local s = string.dump(load("return 1"))
print(load(s, "=custom")())
print(pcall(load(string.dump(load("error('e')", "=mychunk")))))
print(pcall(load(string.dump(load("error('e')", "@file.lua")))))
print(pcall(load(string.dump(load("error('e')")))))
print(pcall(load(string.dump(load("local t = nil; return t.x", "=c")))))
-- a deep tree of nested functions survives
local src = "return function() return function() return function() return 'deep' end end end"
local deep = load(string.dump(load(src)))
print(deep()()()())
-- the chunk name is kept as Lua keeps it
local function where() return 1 end
local info = debug.getinfo(load(string.dump(where)), "S")
print(info.source, info.short_src, info.linedefined, info.lastlinedefined, info.what)
print(debug.getinfo(load(string.dump(load("return 1", "=named"))), "S").source)
