-- currentline at various stack levels
local function level3()
  return debug.getinfo(1, "l").currentline,
         debug.getinfo(2, "l").currentline,
         debug.getinfo(3, "l").currentline,
         debug.getinfo(4, "l").currentline
end

local function level2()
  local a, b, c, d = level3()
  return a, b, c, d
end

local function level1()
  local r = {level2()}
  return table.unpack(r)
end

print(level1())

-- lines inside a loop
for i = 1, 3 do
  local line = debug.getinfo(1, "l").currentline
  print(i, line)
end

-- out of range levels give nil
local depth = 0
while debug.getinfo(depth + 1, "l") do
  depth = depth + 1
end
print("levels above getinfo:", depth)
print(debug.getinfo(depth + 1), debug.getinfo(100), debug.getinfo(-1))

-- the outermost level is the host's call
local last = debug.getinfo(depth, "Sl")
print(last.what, last.currentline, last.short_src)

-- a line in a multi-line call
local function where()
  return debug.getinfo(2, "l").currentline
end
local t = {
  a = 1,
  b = where(),
}
print(t.b)
