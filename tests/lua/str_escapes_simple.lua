-- Every single-character escape, shown through its byte values.
local s = "\n\t\\\"\'\a\b\f\v\r"
print(#s)
for i = 1, #s do io.write(s:byte(i), " ") end
print()
print("tab:[\t] quote:[\"] apostrophe:[\'] backslash:[\\]")
print('single "quoted" \'string\'')
