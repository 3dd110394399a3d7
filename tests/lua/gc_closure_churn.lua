-- Many closures and upvalues created and dropped; the kept ones keep their state.
local kept = {}
local sum = 0
for i = 1, 10000 do
  local x = i
  local get = function() return x end
  local inc = function() x = x + 1 end
  inc()
  sum = sum + get()
  if i % 2500 == 0 then kept[#kept + 1] = {get, inc} end
end
print(sum)
for _, p in ipairs(kept) do p[2](); p[2]() end
print(kept[1][1](), kept[4][1]())
local function make(n) if n == 0 then return function() return 0 end end local inner = make(n - 1) return function() return n + inner() end end
print(make(100)())
