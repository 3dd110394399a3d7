-- files are closed by the collector's __gc, by __close and by close
local name = os.tmpname()
do
  local f = io.open(name, "w")
  f:write("written before collection\n")
  f = nil
end
collectgarbage()
collectgarbage()
for l in io.lines(name) do print(l) end
-- __gc of a file runs at most once and on a closed file does nothing
local mt = getmetatable(io.stdout)
local f = io.open(name)
print(f:read("l"))
mt.__gc(f)
print(io.type(f), tostring(f))
mt.__gc(f)
mt.__close(f)
print(io.type(f))
-- standard files are not closed by __gc
mt.__gc(io.stdout)
print(io.type(io.stdout))
-- the user's __gc of a userdata metatable set later does not count, as for tables
local order = {}
local t1 = setmetatable({}, {__gc = function() order[#order + 1] = "t1" end})
local u = io.open(name)
local t2 = setmetatable({}, {__gc = function() order[#order + 1] = "t2" end})
t1, u, t2 = nil, nil, nil
collectgarbage()
print(table.concat(order, " "))
-- debug.setmetatable on a file, then back
local g = io.open(name)
local other = {__index = {hello = function() return "hi" end}}
print(debug.setmetatable(g, other) == g, g:hello(), io.type(g))
debug.setmetatable(g, mt)
print(io.type(g), g:read("a"))
g:close()
-- user values: files have none
print(debug.getuservalue(io.stdout))
print(debug.getuservalue(io.stdout, 2))
print(debug.setuservalue(io.stdout, 1))
print(pcall(debug.setuservalue, {}, 1))
print(debug.getuservalue({}))
os.remove(name)
-- files and tables share one finalizer order (newest first)
name = os.tmpname()
do
  local f1 = io.open(name)
  local t = setmetatable({}, {__gc = function() print("t sees f1:", io.type(f1)) end})
  local f2 = io.open(name)
  local t2 = setmetatable({}, {__gc = function() print("t2 sees f1, f2:", io.type(f1), io.type(f2)) end})
end
collectgarbage()
os.remove(name)
