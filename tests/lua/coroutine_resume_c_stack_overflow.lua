-- Nested resumes count as native calls: too deep gives "C stack overflow".
local function rec(n)
  local co = coroutine.create(function() return rec(n + 1) end)
  local ok, v = coroutine.resume(co)
  if not ok then return n .. ": " .. tostring(v) end
  return v
end
print(rec(1))
local count = 0
local function rec2()
  count = count + 1
  return coroutine.wrap(rec2)()
end
local ok, msg = pcall(rec2)
local _, prefixes = string.gsub(msg, "coroutine_resume_c_stack_overflow.lua:%d+: ", "")
print(ok, count, prefixes, (msg:gsub("^.*: ", "")))
