-- goto continue idiom in numeric, generic, while and repeat loops
local out = {}
for i = 1, 10 do
  if i % 3 == 0 then goto continue end
  out[#out + 1] = i
  ::continue::
end
print(table.concat(out, ","))

out = {}
for _, v in ipairs({5, 6, 7, 8, 9}) do
  if v % 2 == 1 then goto skip end
  out[#out + 1] = v
  ::skip::
end
print(table.concat(out, ","))

local i = 0
out = {}
while i < 8 do
  i = i + 1
  if i == 2 or i == 5 then goto next end
  out[#out + 1] = i
  ::next::
end
print(table.concat(out, ","))

-- nested loops each with their own continue label (same name in sibling/nested blocks
-- is allowed when the inner one is in a nested function? no: in nested blocks it is
-- an error only if visible; labels in sibling blocks are fine)
out = {}
for a = 1, 3 do
  for b = 1, 3 do
    if a == b then goto cont_inner end
    out[#out + 1] = a .. b
    ::cont_inner::
  end
  if a == 2 then goto cont_outer end
  out[#out + 1] = "|"
  ::cont_outer::
end
print(table.concat(out, " "))
