-- empty statements, semicolons, and statement boundaries
;;; local a = 1; ; ;
do ; end
if a then ; elseif a then ; else ; end
while false do ; end
repeat ; until true
for i = 1, 0 do ; end
local function f() ; return ; end
print(a, f(), select("#", f()))
local function g() return 1; end
print(g())
-- `return` must be the last statement, but may be followed by a semicolon
print(load("return 1;")(), load("return;") ~= nil, load("do return end print(1)") ~= nil)
print(load("return 1 print(2)", "=r"))
print(load("return return", "=r"))
-- ambiguous call syntax: a newline before '(' is allowed in 5.4
local t = {f = function() return "called" end}
local r = t.f
(42)
print(r)
-- a statement starting with a parenthesis after a call statement
local log = {}
local function push(x) log[#log + 1] = x; return push end
push "a" "b" {1}
;(push)("c")
print(#log, log[1], log[2], type(log[3]), log[4])
-- labels and semicolons
do ::l1:: ; ::l2:: ; end
print(load("::a:: ; ::a::", "=dup"))
-- breaks followed by statements in the same block are allowed in 5.4
for i = 1, 3 do
  if i == 2 then break; end
  print("i", i)
end
while true do break print("unreachable") end
print("end")
