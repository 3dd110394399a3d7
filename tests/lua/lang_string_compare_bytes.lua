-- string comparison is bytewise (C locale) and handles embedded zeros
local function cmp(a, b)
  return string.format("%q<%q:%s %q<=%q:%s %q==%q:%s", a, b, tostring(a < b), a, b, tostring(a <= b), a, b, tostring(a == b))
end
print(cmp("a\0b", "a\0c"))
print(cmp("a\0", "a"))
print(cmp("a", "a\0"))
print(cmp("\0", ""))
print(cmp("a\0\0", "a\0"))
print(cmp("abc\0def", "abc\0deg"))
print(cmp("\xff", "\x7f"))
print(cmp("\xc3\xa9", "z"))
print(cmp("\x80", "\x7f\xff"))
print(cmp("", ""))
print(cmp("Z", "a"))
print(cmp("10", "9"))
print(#"a\0b", #"\0\0\0", #"", #"\xe2\x82\xac", #"\z
       abc")
local s = "x\0y\0z"
print(#s, s:len(), s:byte(2), s:sub(3, 3), s:find("\0", 3, true), s:rep(2):len())
local t = {"b\0", "a\0z", "a\0", "a", "\xff", "\x00", "A", "a\0a"}
table.sort(t)
for i = 1, #t do t[i] = string.format("%q", t[i]) end
print(table.concat(t, " "))
print(("\0"):byte(), ("a\0b"):upper() == "A\0B", ("\0a"):rep(3) == "\0a\0a\0a")
-- strings with zeros as table keys stay distinct
local k = {}
k["a\0b"] = 1
k["a\0c"] = 2
k["a"] = 3
print(k["a\0b"], k["a\0c"], k["a"], k["a\0"])
print(math.max(#"\0", 0), ("a\0b" .. "\0"):len())
