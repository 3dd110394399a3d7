-- closures created in a loop body exited/continued by goto capture a fresh variable
local fs = {}
for i = 1, 5 do
  local j = i * 10
  fs[#fs + 1] = function() return i, j end
  if i % 2 == 0 then goto continue end
  j = j + 1
  ::continue::
end
for _, f in ipairs(fs) do print(f()) end

-- a backward goto loop: each pass declares a new local, closures see distinct ones
local gs = {}
local k = 0
::again::
do
  local v = k
  gs[#gs + 1] = function() v = v + 100; return v end
end
k = k + 1
if k < 3 then goto again end
print(gs[1](), gs[2](), gs[3](), gs[1]())

-- local declared after the label in the same block: goto backward re-creates it
local hs = {}
local m = 0
do
  ::redo::
  local w = m
  hs[#hs + 1] = function() return w end
  m = m + 1
  if m < 4 then goto redo end
end
print(hs[1](), hs[2](), hs[3](), hs[4]())

-- goto out of nested loops closes the upvalues of the abandoned blocks
local cl = {}
for a = 1, 3 do
  for b = 1, 3 do
    local p = a * b
    cl[#cl + 1] = function() p = p + 1; return p end
    if b == 2 then goto out end
  end
  ::out::
end
local r = {}
for _, f in ipairs(cl) do r[#r + 1] = f() end
for _, f in ipairs(cl) do r[#r + 1] = f() end
print(table.concat(r, ","))

-- while loop with goto continue and a closure per iteration
local ws = {}
local idx = 0
while idx < 4 do
  idx = idx + 1
  local cap = idx
  ws[idx] = function() return cap end
  if idx == 2 then goto cont end
  cap = cap * 2
  ::cont::
end
print(ws[1](), ws[2](), ws[3](), ws[4]())
