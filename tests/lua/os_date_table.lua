-- os.date("*t") and ("!*t"): the fields of a date table.
local function show(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do parts[#parts + 1] = k .. "=" .. tostring(t[k]) end
  print(table.concat(parts, " "))
end
show(os.date("!*t", 0))
show(os.date("*t", 1234567890))
show(os.date("!*t", 951782400))
show(os.date("!*t", -1))
print(os.date("!*tx", 0))
print(os.time(os.date("*t", 1234567890)) == 1234567890)
local now = os.time()
print(os.time(os.date("*t", now)) == now)
print(math.type(os.time()), type(os.date()))
