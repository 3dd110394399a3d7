-- math.deg/rad, and the LUA_COMPAT_MATHLIB functions Debian's lua5.4 carries.
local function t(f, ...) local r = table.pack(pcall(f, ...)) print(table.unpack(r, 1, r.n)) end
t(math.deg, math.pi) t(math.deg, 1) t(math.rad, 180) t(math.rad, "90") t(math.deg) t(math.rad, {})
print(math.type(math.deg(2)), math.rad(0), math.deg(-0.0))
t(math.atan2, 1, 2) t(math.atan2, 1) t(math.atan2, -1, -1)
t(math.cosh, 1) t(math.sinh, -1) t(math.tanh, 0.5) t(math.cosh, 1000) t(math.tanh, 1/0)
t(math.pow, 2, 10) t(math.pow, 2) t(math.pow, "2", 0.5) t(math.pow, -8, 1/3) t(math.pow, 0, -1)
for _, x in ipairs({8, 0, -0.75, 1/0, -1/0, 3, 5e-324, 2^-1030, 1e308, -123.456, 1}) do
  t(math.frexp, x)
end
t(math.frexp) t(math.frexp, "16")
t(math.ldexp, 0.5, 4) t(math.ldexp, 1, 1.5) t(math.ldexp, 1, 2^62) t(math.ldexp, 1, -1080)
t(math.ldexp, 1) t(math.ldexp, 1, 1024) t(math.ldexp, 1, 1023) t(math.ldexp, 0.75, -1074)
t(math.ldexp, 3, -1075) t(math.ldexp, 1e-300, 1500) t(math.ldexp, -0.0, 5) t(math.ldexp, "2", "3")
for _, x in ipairs({0.1, 1, 2.5, 1e10, 5e-324, 1e308}) do
  local m, e = math.frexp(x)
  print(x, m, e, math.ldexp(m, e) == x)
end
t(math.log10, 1000) t(math.log10, 0) t(math.log10, 2)
