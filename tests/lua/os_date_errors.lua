-- os.date argument errors.
for _, f in ipairs{"%", "%Ez", "%Ez abc", "%Oq", "%E", "x%5y", "%Q", "%i", "%ll", "%O"} do
  print(f, pcall(os.date, f, 0))
end
print(pcall(os.date, "%Y", 1.5))
print(pcall(os.date, "%Y", "x"))
print(pcall(os.date, {}))
print(pcall(os.date, "*t", 2^60))
print(pcall(os.date, "!*t", -2^60))
print(os.date(5, 0), os.date(1.5, 0))
print(os.date("!%Y", "86400"))
