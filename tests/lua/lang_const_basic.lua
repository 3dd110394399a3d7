-- <const> locals: values, expressions, closures
local a <const> = 10
local b <const>, c <const> = 3, "s"
local d <const> = a * b + 1
print(a, b, c, d, a // b, a % b, a / 4, -a, ~a, a << 2)
print(c .. a, #c, c:upper())
local function f() return a + d end
print(f())
local t <const> = {1, 2, 3}
t[1] = 99        -- the table is mutable, the variable is not
print(t[1], #t)
local n <const> = nil
local tr <const> = true
local fl <const> = 2.5
print(n, tr, fl, fl * 2, math.type(fl * 2))
-- constants in nested functions several levels deep
local function outer()
  local function inner()
    return function() return a, c, fl end
  end
  return inner()()
end
print(outer())
-- constant shadowed by a normal local
do
  local a = 5
  a = a + 1
  print(a)
end
print(a)
-- constant in numeric for bounds and as table keys
local s = 0
for i = b, a, b do s = s + i end
print(s)
local keys <const> = "k"
local tt = {[keys] = 1, [a] = 2}
print(tt.k, tt[10])
-- big and special constant values
local big <const> = math.maxinteger
local mi <const> = math.mininteger
print(big + 1 == mi, big, mi, mi // -1, mi % -1)
local inf <const> = 1 / 0
print(inf, -inf, inf ~= inf)
local z <const> = 0.0
print(-z, 1 / -z)
