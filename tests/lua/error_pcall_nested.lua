-- Errors propagate to the nearest pcall; outer code continues normally.
local function inner() error("inner failed") end
local function middle() inner(); return "unreachable" end
print(pcall(middle))
print(pcall(pcall, error, "x"))
local ok, msg = pcall(function()
  local ok2, msg2 = pcall(error, "deep")
  error("rethrown: " .. msg2, 0)
end)
print(ok, msg)
local log = {}
for i = 1, 3 do
  local ok3, e = pcall(function() if i % 2 == 1 then error("odd " .. i, 0) end return i end)
  log[#log + 1] = tostring(ok3) .. ":" .. tostring(e)
end
print(log[1], log[2], log[3])
print(pcall(pcall))
print(select("#", pcall(error)))
