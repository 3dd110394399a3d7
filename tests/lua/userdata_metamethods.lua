-- every metamethod of a userdata is found through its metatable, as for tables
local mt = getmetatable(io.stdout)
local log = {}
mt.__add = function(a, b) return "add" end
mt.__unm = function(a) return "unm" end
mt.__len = function(a) return 42 end
mt.__concat = function(a, b) return "cat" end
mt.__call = function(self, x) return "called", x end
mt.__eq = function(a, b) log[#log + 1] = "eq" return true end
mt.__lt = function(a, b) return true end
mt.__le = function(a, b) return false end
mt.__band = function(a, b) return "band" end
mt.__idiv = function(a, b) return "idiv" end
mt.__newindex = function(t, k, v) log[#log + 1] = "set " .. k end
print(io.stdout + 1, 1 + io.stdout, -io.stdout, #io.stdout)
print(io.stdout .. "x", "x" .. io.stdout, 1 .. io.stderr)
print(io.stdout(5))
print(io.stdout == io.stderr, io.stdout ~= io.stderr, io.stdout == io.stdout)
print(io.stdout < io.stderr, io.stdout <= io.stderr, io.stdout > 1, 1 >= io.stdout)
print(io.stdout & 1, io.stdout // 2)
io.stdout.field = 1
print(table.concat(log, ","))
-- __index as a function replaces the method table
local methods = mt.__index
mt.__index = function(u, k) return k == "write" and methods.write or ("idx:" .. k) end
print(io.stdout.anything)
io.stdout:write("still writes\n")
mt.__index = methods
-- __tostring and __name
local ts = mt.__tostring
mt.__tostring = function() return "custom" end
print(tostring(io.stdout), io.stdout)
mt.__tostring = nil
mt.__name = "MyFile"
print((tostring(io.stdout):gsub("0x%x+", "ADDR")))
print(pcall(function() return io.stdout.x.y end))
print(pcall(io.read, io.stdout))
mt.__name = "FILE*"
mt.__tostring = ts
-- __metatable protects getmetatable
mt.__metatable = "locked"
print(getmetatable(io.stdout), getmetatable(io.stderr))
mt.__metatable = nil
print(getmetatable(io.stdout) == mt)
