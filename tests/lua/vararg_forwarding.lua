-- ... forwards all values, including nils and trailing nils.
local function pass(...) return ... end
print(pass(1, nil, 3))
print(select("#", pass(nil, nil, nil)))
local function wrap(...) local a, b = ...; return a, b, ... end
print(wrap(1, 2, 3))
local function pack(...) return {...}, select("#", ...) end
local t, n = pack(1, nil, 3, nil)
print(n, t[1], t[2], t[3], t[4])
local function first(...) return (...) end
print(first(7, 8, 9))
local function tail_vararg(a, ...) return ... end
print(tail_vararg(1, 2, 3))
print(select("#", tail_vararg(1)))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(1, 2, 3, 4, 5), sum())
