-- the table library takes any value whose metatable has the metamethods it needs
-- (ltablib's checktab): userdata and numbers with __index/__newindex/__len
local store = {}
local mt = getmetatable(io.stdout)
local methods = mt.__index
mt.__index = function(u, k)
  if type(k) == "number" then return store[k] end
  return methods[k]
end
mt.__len = function() return #store end
for i, v in ipairs(io.stdout) do print("never", i, v) end
store = {"c", "a", "b"}
for i, v in ipairs(io.stdout) do print(i, v) end
print(table.concat(io.stdout, ","), table.unpack(io.stdout))
print(pcall(table.insert, io.stdout, "x"))
print(pcall(table.sort, io.stdout))
print(pcall(table.remove, io.stdout))
print(type(select(2, pcall(table.move, io.stdout, 1, 3, 1, {}))))
print(pcall(table.move, {1}, 1, 1, 1, io.stdout))
mt.__newindex = function(u, k, v) store[k] = v end
table.insert(io.stdout, "d")
table.insert(io.stdout, 1, "z")
print(table.concat(store, ","))
table.sort(io.stdout)
print(table.concat(store, ","))
print(table.remove(io.stdout), table.remove(io.stdout, 1), table.concat(store, ","))
local dst = table.move(io.stdout, 1, 3, 2, {})
print(dst[1], dst[2], dst[3], dst[4])
table.move({"p", "q"}, 1, 2, 1, io.stdout)
print(table.concat(store, ","))
mt.__len = nil
print(pcall(table.concat, io.stdout))
print(pcall(table.insert, io.stdout, 1))
mt.__len = function() return 2.5 end
print(pcall(table.concat, io.stdout))
mt.__index, mt.__newindex, mt.__len = methods, nil, nil
-- numbers through a per-type metatable
debug.setmetatable(0, {__index = function(n, i) if i <= n then return i * 10 end end,
                       __len = function(n) return n end})
print(table.concat(3, " "), table.unpack(2))
print(pcall(table.insert, 3, 1))
debug.setmetatable(0, nil)
print(pcall(table.concat, 3))
print(table.unpack(3, 1, 0))
