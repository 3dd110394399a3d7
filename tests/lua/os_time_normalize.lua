-- os.time with a table normalises fields like mktime and writes them back.
local function show(t)
  return string.format("%d-%d-%d %d:%d:%d wday=%d yday=%d isdst=%s",
    t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, tostring(t.isdst))
end
local cases = {
  {year = 2020, month = 1, day = 1, hour = 0},
  {year = 2020, month = 1, day = 1},
  {year = 2020, month = 14, day = -3, hour = 25, min = 61, sec = -5},
  {year = 2021, month = 0, day = 0, hour = -1},
  {year = 2000, month = 2, day = 30, hour = 0},
  {year = 1970, month = 1, day = 1, hour = 0, min = 0, sec = 0},
  {year = 1900, month = 1, day = 1, hour = 0},
  {year = 2024, month = 2, day = 29, hour = 23, min = 59, sec = 60},
  {year = 2024, month = -25, day = 400},
  {year = "2001", month = "2", day = 3.0},
  {year = 2020, month = 6, day = 15, hour = 12, isdst = false},
  {year = 2020, month = 6, day = 15, hour = 12, isdst = true},
}
for _, t in ipairs(cases) do
  print(os.time(t), show(t))
end
