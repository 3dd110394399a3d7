-- Building strings piecewise: padding, joining, reversing, a multiplication table.
local function pad_left(s, w, c) s = tostring(s); return (c or " "):rep(w - #s) .. s end
local function join(list, sep)
  local out = ""
  for i = 1, #list do
    if i > 1 then out = out .. sep end
    out = out .. tostring(list[i])
  end
  return out
end
local function reverse(s)
  local r = ""
  for i = #s, 1, -1 do r = r .. s:sub(i, i) end
  return r
end
print(join({1, 2.5, "x", true}, ", "))
print(reverse("stressed"), reverse(""), reverse("a"))
for row = 1, 5 do
  local cells = {}
  for col = 1, 5 do cells[col] = pad_left(row * col, 3) end
  print(join(cells, ""))
end
print(pad_left(7, 4, "0"), pad_left("long", 2))
local words = {}
local text = "the quick brown fox jumps over the lazy dog"
local start = 1
for i = 1, #text + 1 do
  local c = text:sub(i, i)
  if c == " " or c == "" then words[#words + 1] = text:sub(start, i - 1); start = i + 1 end
end
print(#words, words[1], words[#words])
local caps = {}
for i, w in ipairs(words) do caps[i] = w:sub(1, 1):upper() .. w:sub(2) end
print(join(caps, " "))
local big = ("ab"):rep(1000)
print(#big, big:sub(999, 1002))
