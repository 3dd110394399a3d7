-- Quicksort, merge sort and heap sort on pseudo-random integers agree with each other.
local seed = 12345
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local function copy(t) local r = {} for i = 1, #t do r[i] = t[i] end return r end
local function quicksort(t, lo, hi)
  lo, hi = lo or 1, hi or #t
  while lo < hi do
    local p, i = t[(lo + hi) // 2], lo
    local j = hi
    while i <= j do
      while t[i] < p do i = i + 1 end
      while t[j] > p do j = j - 1 end
      if i <= j then t[i], t[j] = t[j], t[i]; i = i + 1; j = j - 1 end
    end
    if j - lo < hi - i then quicksort(t, lo, j); lo = i else quicksort(t, i, hi); hi = j end
  end
  return t
end
local function mergesort(t)
  if #t <= 1 then return t end
  local mid = #t // 2
  local l, r = {}, {}
  for i = 1, mid do l[i] = t[i] end
  for i = mid + 1, #t do r[i - mid] = t[i] end
  l, r = mergesort(l), mergesort(r)
  local out, i, j = {}, 1, 1
  while i <= #l or j <= #r do
    if j > #r or (i <= #l and l[i] <= r[j]) then out[#out + 1] = l[i]; i = i + 1
    else out[#out + 1] = r[j]; j = j + 1 end
  end
  return out
end
local function heapsort(t)
  local n = #t
  local function sift(start, stop)
    local root = start
    while 2 * root <= stop do
      local child = 2 * root
      if child + 1 <= stop and t[child] < t[child + 1] then child = child + 1 end
      if t[root] < t[child] then t[root], t[child] = t[child], t[root]; root = child else return end
    end
  end
  for s = n // 2, 1, -1 do sift(s, n) end
  for stop = n, 2, -1 do t[1], t[stop] = t[stop], t[1]; sift(1, stop - 1) end
  return t
end
local data = {}
for i = 1, 2000 do data[i] = rand(100000) - 50000 end
local a, b, c = quicksort(copy(data)), mergesort(copy(data)), heapsort(copy(data))
local same, sorted = true, true
for i = 1, #data do
  if a[i] ~= b[i] or b[i] ~= c[i] then same = false end
  if i > 1 and a[i - 1] > a[i] then sorted = false end
end
print(#a, same, sorted, a[1], a[1000], a[2000])
local words = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry"}
print(#quicksort(words), words[1], words[4], words[7])
