-- Every global and every library field lua5.4 defines, with its type: the list must
-- be lua5.4's exactly (docs/LIBRARY.md).
local names = {}
for k, v in pairs(_G) do
  if type(v) == "table" and k ~= "_G" and k ~= "arg" then
    for k2, v2 in pairs(v) do names[#names + 1] = k .. "." .. tostring(k2) .. " " .. type(v2) end
  else
    names[#names + 1] = k .. " " .. type(v)
  end
end
local mt = getmetatable(io.stdout)
for k, v in pairs(mt) do names[#names + 1] = "FILE*." .. k .. " " .. type(v) end
for k, v in pairs(mt.__index) do names[#names + 1] = "FILE*:" .. k .. " " .. type(v) end
local smt = getmetatable("")
for k, v in pairs(smt) do names[#names + 1] = "string-mt." .. k .. " " .. type(v) end
table.sort(names)
print(#names)
for _, n in ipairs(names) do print(n) end
