-- the debug library's functions
local names = {}
for k, v in pairs(debug) do
  if k ~= "debug" then names[#names + 1] = k .. ":" .. type(v) end
end
table.sort(names)
for _, n in ipairs(names) do print(n) end
print(package.loaded.debug == debug)
print(type(debug.setcstacklimit(100)))
