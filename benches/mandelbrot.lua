-- Mandelbrot set membership over a grid, float-heavy; prints a checksum. Size: width (default 1100).
local w = tonumber(arg and arg[1]) or 1100
local h = w
local max_iter = 50
local inside, iter_sum = 0, 0
for y = 0, h - 1 do
  local ci = 2.0 * y / h - 1.0
  for x = 0, w - 1 do
    local cr = 2.5 * x / w - 2.0
    local zr, zi, i = 0.0, 0.0, 0
    while i < max_iter do
      local zr2, zi2 = zr * zr, zi * zi
      if zr2 + zi2 > 4.0 then break end
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      i = i + 1
    end
    iter_sum = iter_sum + i
    if i == max_iter then inside = inside + 1 end
  end
end
print("mandelbrot", w, inside, iter_sum)
