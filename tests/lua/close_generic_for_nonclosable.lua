-- generic for: a closing value without __close is an error when the loop starts
local function nop() return nil end
print(pcall(function()
  for k in nop, nil, nil, 42 do end
end))
print(pcall(function()
  for k in nop, nil, nil, {} do end
end))
print(pcall(function()
  for k in nop, nil, nil, "str" do end
end))
print(pcall(function()
  local t = setmetatable({}, { __index = { __close = print } })
  for k in nop, nil, nil, t do end
end))
-- a fifth value is ignored
for k in nop, nil, nil, nil, 42 do end
print("ok")
