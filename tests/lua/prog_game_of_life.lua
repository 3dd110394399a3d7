-- Conway's game of life on a small torus: a glider and a blinker.
local W, H = 12, 10
local function empty() local g = {} for y = 1, H do g[y] = {} for x = 1, W do g[y][x] = false end end return g end
local grid = empty()
local function set(x, y) grid[y][x] = true end
set(2, 1); set(3, 2); set(1, 3); set(2, 3); set(3, 3)
set(9, 7); set(10, 7); set(11, 7)
local function step(g)
  local n = empty()
  for y = 1, H do
    for x = 1, W do
      local c = 0
      for dy = -1, 1 do
        for dx = -1, 1 do
          if (dx ~= 0 or dy ~= 0) and g[(y + dy - 1) % H + 1][(x + dx - 1) % W + 1] then c = c + 1 end
        end
      end
      n[y][x] = c == 3 or (c == 2 and g[y][x])
    end
  end
  return n
end
local function show(g)
  for y = 1, H do
    local row = ""
    for x = 1, W do row = row .. (g[y][x] and "#" or ".") end
    print(row)
  end
end
for gen = 1, 30 do grid = step(grid) end
show(grid)
local alive = 0
for y = 1, H do for x = 1, W do if grid[y][x] then alive = alive + 1 end end end
print("alive", alive)
