-- Deep recursion inside a coroutine ends in "stack overflow", caught by resume.
local depth = 0
local function rec() depth = depth + 1; return rec() + 1 end
local co = coroutine.create(rec)
local ok, msg = coroutine.resume(co)
print(ok, msg)
print(depth > 10000, coroutine.status(co))
-- and through pcall inside the coroutine
co = coroutine.create(function()
  local ok2, m = pcall(rec)
  coroutine.yield(ok2, m)
  return "still alive"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
