-- __pairs: pairs returns the handler's first three results.
local mt = {__pairs = function(t)
  local i = 0
  return function(state, ctl)
    i = i + 1
    if i <= 3 then return i, state .. i end
  end, "s", nil, "dropped"
end}
local t = setmetatable({a = 1}, mt)
for k, v in pairs(t) do print(k, v) end
print(select("#", pairs(t)))
-- __pairs returning fewer values: padded with nil
local few = setmetatable({}, {__pairs = function() return next end})
local a, b, c = pairs(few)
print(a == next, b, c)
-- ordered iteration through __pairs
local ordered = setmetatable({z = 26, a = 1, m = 13}, {__pairs = function(tb)
  local keys = {}
  for k in next, tb do keys[#keys + 1] = k end
  table.sort(keys)
  local i = 0
  return function() i = i + 1; local k = keys[i]; if k then return k, tb[k] end end, tb, nil
end})
for k, v in pairs(ordered) do print(k, v) end
-- without __pairs: next, t, nil; ipairs ignores __pairs but respects __index
local p = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(p) do print(i, v) end
print(pcall(pairs))
print(pcall(function() for k in pairs(nil) do end end))
