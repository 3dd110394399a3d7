-- \z skips the following whitespace, including newlines.
local s = "abc\z
           def\z    ghi"
print(s, #s)
local t = "a\z

  b"
print(t)
print("line1\
line2")
