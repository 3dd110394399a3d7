-- Callable objects as methods, as vararg handlers, and as results of other calls.
local callable = setmetatable({tag = "callable"}, {__call = function(self, recv, ...)
  return self.tag .. " on " .. recv.name .. " with " .. select("#", ...) .. " args"
end})
local obj = {name = "obj", m = callable}
print(obj:m(), obj:m(1, 2, 3), obj.m(obj, nil))
-- a vararg handler receives the object plus every argument
local va = setmetatable({}, {__call = function(...) return select("#", ...), (select(2, ...)) end})
print(va(), va("a"), va("a", "b", "c"))
-- calling the result of a call
local function factory(n)
  return setmetatable({n = n}, {__call = function(self, x) return self.n * x end})
end
print(factory(3)(4), factory(5)(factory(2)(1)))
-- callable objects stored in arrays and called in a loop
local fs = {}
for i = 1, 5 do fs[i] = factory(i) end
local total = 0
for i = 1, 5 do total = total + fs[i](10) end
print(total)
-- pcall and xpcall with callable objects and their errors
local failing = setmetatable({}, {__call = function(_, msg) error(msg, 0) end})
print(pcall(failing, "oops"))
print(xpcall(failing, function(m) return "handled " .. m end, "bad"))
print(pcall(factory(7), 6))
-- natives that call their function argument accept only real functions
local cmp = setmetatable({}, {__call = function(_, a, b) return a > b end})
print(pcall(table.sort, {3, 1, 2}, cmp))
