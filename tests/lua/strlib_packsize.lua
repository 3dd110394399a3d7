-- packsize of every fixed-size option; its errors.
for _, f in ipairs{"", " ", "b", "B", "h", "H", "l", "L", "j", "J", "T", "i", "I",
  "f", "d", "n", "x", "c10", "i1", "i16", "I11", "<>=", "bhij", "!bhij", "c0"} do
  print(string.format("%q", f), string.packsize(f))
end
print(pcall(string.packsize, "s"))
print(pcall(string.packsize, "z"))
print(pcall(string.packsize, "i17"))
print(pcall(string.packsize, "i0"))
print(pcall(string.packsize, "w"))
print(pcall(string.packsize, "c2147483647"))
print(string.packsize("c214748364"))
print(pcall(string.packsize, "c2147483647c1"))
print(pcall(string.packsize, "c1073741824c1073741824"))
print(pcall(string.packsize, "c1073741823c1073741824"))
print(pcall(string.packsize, "c21474836470"))
print(pcall(string.packsize, "i99999999999999999999"))
print(pcall(string.packsize))
print(pcall(string.packsize, 5))
