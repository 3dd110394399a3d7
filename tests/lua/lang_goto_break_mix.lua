-- break and goto together in nested loops, with upvalues to close
local out = {}
local fs = {}
for i = 1, 4 do
  local ci = i
  fs[#fs + 1] = function() return ci end
  for j = 1, 4 do
    local cj = j
    fs[#fs + 1] = function() return ci * 10 + cj end
    if j == i then break end
    if j == 3 then goto next_i end
  end
  out[#out + 1] = "end" .. i
  ::next_i::
end
local vals = {}
for _, f in ipairs(fs) do vals[#vals + 1] = f() end
print(table.concat(vals, " "))
print(table.concat(out, " "))
-- goto out of a while loop from inside a nested repeat
local k = 0
while true do
  repeat
    k = k + 1
    if k == 7 then goto done end
  until k % 3 == 0
end
::done::
print("k", k)
-- state machine with gotos
local input = "aabbbc"
local pos, state_log = 1, {}
::state_a::
if input:sub(pos, pos) == "a" then
  state_log[#state_log + 1] = "A"; pos = pos + 1; goto state_a
end
::state_b::
if input:sub(pos, pos) == "b" then
  state_log[#state_log + 1] = "B"; pos = pos + 1; goto state_b
end
if input:sub(pos, pos) == "c" then
  state_log[#state_log + 1] = "C"; pos = pos + 1
end
print(table.concat(state_log), pos)
