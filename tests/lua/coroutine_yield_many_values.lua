-- Many values through yield and resume.
local co = coroutine.create(function(...)
  local n = select("#", ...)
  local r = table.pack(coroutine.yield(table.unpack({...}, 1, n)))
  return r.n, r[1], r[r.n]
end)
local args = {}
for i = 1, 250 do args[i] = i end
local r = table.pack(coroutine.resume(co, table.unpack(args)))
print(r.n, r[1], r[2], r[251])
print(coroutine.resume(co, table.unpack(args, 1, 200)))
