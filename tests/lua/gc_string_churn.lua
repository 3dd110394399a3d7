-- Many temporary strings: concatenation, sub, rep and format in a loop.
local total = 0
local last
for i = 1, 10000 do
  local s = "item" .. i .. ":" .. (i * 3)
  local u = s:upper():sub(2, -2)
  local f = string.format("%05d|%s", i, u)
  total = total + #f
  last = f
end
print(total, last)
local acc = ""
for i = 1, 300 do acc = acc .. string.char(65 + i % 26) end
print(#acc, acc:sub(1, 30))
