-- The eight queens puzzle: count all solutions and print the first one.
local N = 8
local cols, diag1, diag2, place = {}, {}, {}, {}
local solutions, first = 0, nil
local function solve(row)
  if row > N then
    solutions = solutions + 1
    if not first then
      first = {}
      for i = 1, N do first[i] = place[i] end
    end
    return
  end
  for c = 1, N do
    if not cols[c] and not diag1[row + c] and not diag2[row - c + N] then
      cols[c], diag1[row + c], diag2[row - c + N] = true, true, true
      place[row] = c
      solve(row + 1)
      cols[c], diag1[row + c], diag2[row - c + N] = nil, nil, nil
    end
  end
end
solve(1)
print("solutions", solutions)
for r = 1, N do
  local line = ""
  for c = 1, N do line = line .. (first[r] == c and "Q" or ".") end
  print(line)
end
