-- backward gotos forming loops
local n = 0
::top::
n = n + 1
if n < 5 then goto top end
print("n", n)

-- a loop with goto in a function, computing a factorial
local function fact(k)
  local acc = 1
  ::again::
  if k > 1 then
    acc = acc * k
    k = k - 1
    goto again
  end
  return acc
end
print(fact(10), fact(20))

-- nested backward gotos
local s = {}
local x = 0
::outer::
x = x + 1
local y = 0
::inner::
y = y + 1
s[#s + 1] = x .. ":" .. y
if y < 2 then goto inner end
if x < 3 then goto outer end
print(table.concat(s, " "))

-- goto in a do block jumping backward to an enclosing label
local c = 0
::l1::
do
  c = c + 1
  if c < 4 then goto l1 end
end
print("c", c)
