-- string escape corners
print(#"\u{0}", #"\u{7F}", #"\u{80}", #"\u{7FF}", #"\u{800}", #"\u{FFFF}", #"\u{10000}", #"\u{10FFFF}")
print(#"\u{110000}", #"\u{7FFFFFFF}", ("\u{7FFFFFFF}"):byte(1, -1))
print("\65\066\0671", "\x41\x62", "a\z
      b", "tab\tend", #"\z   ")
print(("\255\0\1"):byte(1, -1))
print("\'\"\\\a\b\f\n\r\t\v" == string.char(39, 34, 92, 7, 8, 12, 10, 13, 9, 11))
print(#"line1\
line2", "\u{48}\u{0069}")
local cases = {
  [["\x4"]], [["\xg0"]], [["\256"]], [["\u{110000000}"]], [["\u{}"]], [["\u{12"]],
  [["\u12"]], [["\q"]], [["\999"]], [["abc]], [['\z]],
}
for _, c in ipairs(cases) do print(c, select(2, load("return " .. c, "=s"))) end
