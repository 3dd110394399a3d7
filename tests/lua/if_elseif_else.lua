-- if/elseif/else choose the first true branch; only nil and false are false.
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  else return "large" end
end
for _, v in ipairs({-5, 0, 3, 10, 2.5}) do print(v, classify(v)) end
for _, v in ipairs({0, "", "0", 1}) do
  if v then io.write("truthy ") else io.write("falsy ") end
end
print()
if nil then print("nil?") elseif false then print("false?") else print("neither") end
if false then print("x") end
print("done")
