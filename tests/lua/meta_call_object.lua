-- __call objects: arguments, results, method calls, pcall, for iterators.
local Counter = {}
Counter.__index = Counter
Counter.__call = function(self, inc, ...)
  self.n = self.n + (inc or 1)
  return self.n, select("#", ...)
end
local c = setmetatable({n = 0}, Counter)
print(c(), c(5), c(1, "a", "b"))
print(pcall(c, 10))
print(select("#", c()))
-- called through a field and as a method value
local holder = {f = c}
print(holder.f(100), holder.f())
-- as a generic-for iterator
local range = setmetatable({}, {__call = function(self, limit, i)
  if i < limit then return i + 1 end
end})
local out = {}
for i in range, 5, 0 do out[#out + 1] = i end
print(table.concat(out, ","))
-- the handler receives the called object first
local who = setmetatable({name = "obj"}, {__call = function(self) return self.name end})
print(who())
-- results adjust like any call
local multi = setmetatable({}, {__call = function() return 1, 2, 3 end})
local a, b = multi()
print(a, b, (multi()))
local t = {multi()}
print(#t)
