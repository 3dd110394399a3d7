-- nested functions cannot see outer labels; labels are per function
local f, err = load([[
::outer::
local function g()
  goto outer
end
]], "=t")
print(f, err)

-- the same label name can be reused in a nested function and in sibling blocks
local function a()
  do goto l end
  ::l::
  local function b()
    goto l
    do return "b-unreached" end
    ::l::
    return "b"
  end
  return b()
end
print(a())

do ::same:: end
do ::same:: end
print("sibling labels ok")

-- 5.4: a label with the same name visible in an enclosing block is an error
print(load("::x:: do ::x:: end", "=t2"))
-- but after the enclosing block's label goes out of scope, reuse is fine
print(load("do ::x:: end ::x::", "=t3") ~= nil)
