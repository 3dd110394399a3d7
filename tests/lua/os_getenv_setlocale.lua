-- os.getenv of unset variables; os.setlocale in the C locale.
print(os.getenv("APOGEE_SURELY_UNSET_VARIABLE_42"))
print(type(os.getenv("PATH")))
print(pcall(os.getenv))
print(pcall(os.getenv, {}))
print(os.setlocale())
print(os.setlocale("C"), os.setlocale("POSIX"), os.setlocale(nil, "numeric"))
print(os.setlocale("xx_NOWHERE.UTF-8"))
for _, c in ipairs{"all", "collate", "ctype", "monetary", "numeric", "time"} do
  io.write(c, "=", os.setlocale("C", c), " ")
end
print()
print(pcall(os.setlocale, "C", "bogus"))
print(pcall(os.setlocale, {}))
