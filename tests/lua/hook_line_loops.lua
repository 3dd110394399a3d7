-- Line events of lua5.4: a new line, a backward jump, a function's first instruction.
local lines = {}
local function rec(ev, line) lines[#lines + 1] = line end
local function work()
  local s = 0
  for i = 1, 3 do
    s = s + i
  end
  local j = 0
  repeat
    j = j + 1
  until j >= 2
  while j > 0 do
    j = j - 1
  end
  if s > 5 then
    s = s * 2
  else
    s = 0
  end
  local k = 1
  while k <= 2 do s = s + k * 10; k = k + 1 end
  return s
end
debug.sethook(rec, "l")
local r = work()
debug.sethook()
print(r)
print(table.concat(lines, " "))
