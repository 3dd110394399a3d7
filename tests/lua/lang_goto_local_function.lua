-- goto and local functions / local declarations
print(load("goto f; local function f() end ::f:: f()", "=a"))
print(load("goto f; local x = 1; ::f::", "=b") ~= nil)      -- label at end of block: allowed
print(load("do goto f; local x = 1; ::f:: end", "=c") ~= nil)
print(load("goto f; local x <const> = 1; ::f:: print(x)", "=d"))
print(load("repeat goto e; local z; ::e:: until z", "=e"))
print(load("while false do goto e; local z; ::e:: end", "=f") ~= nil)
-- goto jumping over a nested function definition that is in an inner block is fine
local function g(n)
  if n > 0 then goto skip end
  do
    local function inner() return "inner" end
    print(inner())
  end
  ::skip::
  return n
end
print(g(0), g(1))
-- recursive local function with goto-based loop inside
local function collatz(n)
  local steps = 0
  ::top::
  if n == 1 then return steps end
  if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
  steps = steps + 1
  goto top
end
print(collatz(27), collatz(1), collatz(97))
-- goto continue in a loop that declares a local function capturing the loop variable
local fs = {}
for i = 1, 4 do
  local function get() return i end
  if i % 2 == 0 then goto continue end
  fs[#fs + 1] = get
  ::continue::
end
print(fs[1](), fs[2]())
