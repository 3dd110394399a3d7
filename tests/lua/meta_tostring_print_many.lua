-- print calls tostring on every argument in order (handlers run left to right).
local order = {}
local function obj(n)
  return setmetatable({}, {__tostring = function() order[#order + 1] = n return "o" .. n end})
end
print(obj(1), obj(2), nil, obj(3), false, 1.5)
print(table.concat(order, ","))
local parts = {}
for i = 1, 5 do parts[#parts + 1] = tostring(obj(i)) end
print(table.concat(parts, " "))
print(select("#", tostring(obj(9))))
