-- Proper tail calls run in constant stack: a million-step tail-recursive loop.
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(1000000, 0))
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(is_even(1000001))
local function count_down(n, ...)
  if n == 0 then return select("#", ...) end
  return count_down(n - 1, ...)
end
print(count_down(500000, "a", "b"))
local obj = {n = 0}
function obj:spin(k) if k == 0 then return self.n end self.n = self.n + 1 return self:spin(k - 1) end
print(obj:spin(300000))
