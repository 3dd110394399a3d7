-- Week numbers (%U %W %V) and ISO years (%G %g) around year boundaries.
for y = 2018, 2028 do
  for _, md in ipairs{{12, 28}, {12, 31}, {1, 1}, {1, 3}, {1, 4}, {1, 7}} do
    local t = os.time{year = md[1] == 12 and y - 1 or y, month = md[1], day = md[2], hour = 0}
    io.write(os.date("!%Y-%m-%d %a U%U W%W V%V G%G g%g j%j u%u w%w", t), "\n")
  end
end
for _, y in ipairs{5, 50, 500, 999, 1000, -50, -1000, 10000} do
  print(y, os.date("!%Y|%C|%y|%G|%g|%F|%D|%c", os.time{year = y, month = 3, day = 4}))
end
