-- string.reverse
print(string.reverse("abc"), ("hello"):reverse(), string.reverse(""))
print(string.reverse(12345), string.reverse(1.5), string.reverse(-7))
print(#string.reverse("a\0b"), string.reverse("a\0b") == "b\0a")
print(string.reverse(("xy"):rep(1000)):sub(1, 6))
print(string.reverse("\255\1"):byte(1, -1))
print(pcall(string.reverse))
print(pcall(string.reverse, {}))
print(pcall(string.reverse, nil))
local s = "racecar"
print(s:reverse() == s)
