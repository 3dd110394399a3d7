-- where "non-closable value" errors are positioned when statements span lines
print(pcall(function()
  for k in
    next, {},
    nil, 42
  do end
end))
print(pcall(function()
  local x
    <close>
    =
    42
end))
print(pcall(function()
  local a <close> = setmetatable({}, { __close = function() error("x") end })
  return 1
end))
-- a missing __close found by the final return is reported at the function's end
local mt = { __close = function() end }
print(pcall(function()
  local y <close> = setmetatable({}, mt)
  mt.__close = nil
  local z = 1
end))
