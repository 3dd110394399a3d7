-- Matrix multiplication and determinant on nested tables with integers and floats.
local function matmul(a, b)
  local n, m, p = #a, #b, #b[1]
  local c = {}
  for i = 1, n do
    c[i] = {}
    for j = 1, p do
      local s = 0
      for k = 1, m do s = s + a[i][k] * b[k][j] end
      c[i][j] = s
    end
  end
  return c
end
local function det(m)
  local n = #m
  if n == 1 then return m[1][1] end
  local d = 0
  for c = 1, n do
    local minor = {}
    for i = 2, n do
      local row = {}
      for j = 1, n do if j ~= c then row[#row + 1] = m[i][j] end end
      minor[#minor + 1] = row
    end
    d = d + ((c % 2 == 1) and 1 or -1) * m[1][c] * det(minor)
  end
  return d
end
local a = {{1, 2, 3}, {4, 5, 6}}
local b = {{7, 8}, {9, 10}, {11, 12}}
local c = matmul(a, b)
print(c[1][1], c[1][2], c[2][1], c[2][2])
print(det({{2, 0, 1}, {1, 3, 2}, {1, 1, 1}}), det({{1.5, 2}, {3, 4}}))
local id = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
local m = {{2, 3, 1}, {4, 1, 5}, {6, 2, 0}}
local r = matmul(m, id)
print(r[2][3], det(m), det(matmul(m, m)))
