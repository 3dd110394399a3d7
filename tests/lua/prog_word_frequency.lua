-- Word frequencies with sorting by hand (no table library).
local text = [[
the cat sat on the mat the dog sat on the log
a cat and a dog and the end
]]
local counts, order = {}, {}
local word = ""
for i = 1, #text do
  local c = text:sub(i, i)
  local b = c:byte()
  if b >= 97 and b <= 122 then
    word = word .. c
  elseif word ~= "" then
    if not counts[word] then order[#order + 1] = word; counts[word] = 0 end
    counts[word] = counts[word] + 1
    word = ""
  end
end
-- sort by count descending, then alphabetically (simple insertion sort)
for i = 2, #order do
  local w, j = order[i], i - 1
  while j >= 1 and (counts[order[j]] < counts[w] or (counts[order[j]] == counts[w] and order[j] > w)) do
    order[j + 1] = order[j]; j = j - 1
  end
  order[j + 1] = w
end
for _, w in ipairs(order) do print(string.format("%-4s %2d %s", w, counts[w], ("*"):rep(counts[w]))) end
