-- # on strings counts bytes.
print(#"", #"a", #"hello", #"\0\0", #"\u{20AC}", #[[ab]])
local s = "abc"
print(#s, #(s .. s), #s * 2, -#s)
print(#"" == 0, string.len("xyz"), ("abcd"):len())
print(pcall(function() local n; return #n end))
print(pcall(function() return #5 end))
