-- %s with width/precision, %q quoting, %% literal.
local f = string.format
print(f("[%s][%10s][%-10s][%.2s][%5.1s]", "abc", "abc", "abc", "abc", "abc"))
print(f("%s %s %s %s", 1, 1.5, true, nil))
print(f("100%% sure, %d%%", 50))
print(f("%q", 'he said "hi"\n\tand left\\'))
print(f("%q", "\0\1\127\200ab\r"))
print(f("%q", 42), f("%q", -1.5), f("%q", math.mininteger), f("%q", 1/0), f("%q", -1/0))
print(f("%q", 2^63), f("%q", 0.1), f("%q", true), f("%q", nil))
print(f("no args"), f("%s", "only one", "extra ignored"))
print(f("%s", f("%s", "nested")))
print(f("%-5s|%5s|", "toolongvalue", "x"))
