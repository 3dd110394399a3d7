-- Spectral norm of an infinite matrix by power iteration (float loops, calls). Size: n (default 600).
local n = tonumber(arg and arg[1]) or 600
local function a(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end
local function av(x, y, len)
  for i = 1, len do
    local s = 0.0
    for j = 1, len do s = s + a(i, j) * x[j] end
    y[i] = s
  end
end
local function atv(x, y, len)
  for i = 1, len do
    local s = 0.0
    for j = 1, len do s = s + a(j, i) * x[j] end
    y[i] = s
  end
end
local function atav(x, y, t, len) av(x, t, len); atv(t, y, len) end
local u, v, t = {}, {}, {}
for i = 1, n do u[i] = 1.0 end
for _ = 1, 10 do atav(u, v, t, n); atav(v, u, t, n) end
local vbv, vv = 0.0, 0.0
for i = 1, n do
  local ui, vi = u[i], v[i]
  vbv = vbv + ui * vi; vv = vv + vi * vi
end
print("spectral_norm", n, string.format("%.9f", math.sqrt(vbv / vv)))
