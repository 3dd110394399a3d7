-- 5.4: a label at the end of a block is visible to gotos even though locals follow the goto
do
  local i = 1
  goto finish
  local x = 10
  print("skipped", x)
  ::finish::
end
print("after first block")

-- label at end of block followed only by void statements (;;, other labels)
for i = 1, 3 do
  if i == 2 then goto e end
  local y = i * 2
  print("y", y)
  ::e:: ;
end

-- label at end of function body
local function f(a)
  if a then goto out end
  local z = "z"
  print("z is", z)
  ::out::
end
f(true)
f(false)

-- jumping into the scope of a local is an error
local ok, err = load([[
  goto l
  local a = 1
  ::l::
  print(a)
]])
print(ok, err)

local ok2, err2 = load([[
do
  goto l
  local a = 1
  ::l::
  a = 2
end
]])
print(ok2, err2)
-- label at end with trailing void statements is fine
print(load("do goto l; local a ::l:: ; ; end") ~= nil)
