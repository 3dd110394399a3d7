-- Decimal \ddd, hex \xXX and UTF-8 \u{XXX} escapes.
print("\65\066\0677", "\x41\x62\x7A", "\x4a\x4B")
print(#"\0", #"a\0b", ("a\0b"):byte(2), #"\000\00\0")
print(("\255"):byte(), ("\xff"):byte(), ("\1234"):byte(1, -1))
local u = "\u{48}\u{e9}\u{20AC}\u{1F600}\u{7FFFFFFF}"
print(#u)
for i = 1, #u do io.write(u:byte(i), " ") end
print()
print("\u{41}\u{0042}\u{000043}")
