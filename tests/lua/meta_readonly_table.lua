-- Read-only tables through an empty proxy whose __newindex raises.
local function readonly(t)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error("attempt to update a read-only table (key " .. tostring(k) .. ")", 2) end,
    __len = function() return #t end,
  })
end
local days = readonly({"Mon", "Tue", "Wed"})
print(days[1], days[3], #days)
print(pcall(function() days[4] = "Thu" end))
print(pcall(function() days.x = 1 end))
print(days[4], rawget(days, 1))
local ok, err = pcall(function() local d = days; d[1] = "Sun" end)
print(ok, err)
print(days[1])
