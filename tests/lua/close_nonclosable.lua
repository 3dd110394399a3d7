-- a to-be-closed variable needs nil, false, or a value with __close
local cases = {
  "local x <close> = 42",
  "local x <close> = {}",
  "local x <close> = 'str'",
  "local x <close> = true",
  "local x <close> = print",
  "local a, b <close> = 1, 2",
  "local a <close>, b = 1, 2",
  "local x <close> = setmetatable({}, { __index = { __close = print } })",
  "local x <close> = setmetatable({}, { __close = false })",
}
for _, src in ipairs(cases) do
  print(src, pcall(load(src, "=chunk")))
end

-- the error comes from the line of the declaration, after the values are
-- evaluated, and the variables before it still close
print(pcall(function()
  local ok <close> = setmetatable({}, { __close = function(_, e) print("first closed", e) end })
  local bad <close> =
    (function() print("value evaluated") return 1 end)()
end))
