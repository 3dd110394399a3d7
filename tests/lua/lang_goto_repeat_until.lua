-- repeat-until: the until expression sees the body's locals; goto continue inside repeat
local i = 0
local out = {}
repeat
  i = i + 1
  local done = i >= 5
  if i == 2 then goto cont end
  out[#out + 1] = i
  ::cont::
until done
print(table.concat(out, ","))

-- closures in a repeat body capture per-iteration locals, also via the until condition
local fs = {}
local k = 0
repeat
  local v = k
  fs[#fs + 1] = function() return v end
  k = k + 1
until (function() return v >= 3 end)()
for _, f in ipairs(fs) do io.write(f(), " ") end
print()

-- break out of repeat with an upvalue
local gs = {}
local n = 0
repeat
  n = n + 1
  local c = n
  gs[n] = function() c = c + 1; return c end
  if n == 3 then break end
until false
print(gs[1](), gs[2](), gs[3](), gs[1]())

-- goto back to a label before repeat
local tries = 0
::retry::
repeat
  tries = tries + 1
  if tries < 3 then goto retry end
until true
print("tries", tries)
