-- find/match/gmatch/gsub corner cases: init positions, plain find, anchors, empties.
local s = "hello world"
for _, init in ipairs{1, 5, 11, 12, 13, 0, -1, -5, -100, math.maxinteger, math.mininteger} do
  print(init, s:find("o", init), s:find("", init), s:find("o", init, true), s:match("%a+", init))
end
print(s:find("o w", 1, true), s:find("o.w", 1, true), s:find("o.w"))
print(s:find("^h"), s:find("^e"), s:find("d$"), s:find("^"), s:find("$"))
print(("a.b"):find(".", 1, true), ("a+b"):find("+", 1, true), ("abc"):find("b", -1))
print(("aaa"):gsub("", "-"), ("abc"):gsub(".", {a = 1, b = false}), ("abc"):gsub("%w", "%0%0", 2))
print(("hello"):gsub("l+", function(m) return #m end), ("x = 1"):gsub("(%w+) = (%w+)", "%2 = %1"))
print(pcall(string.gsub, "x", "(", ""), pcall(string.gsub, "x", "x", "%2"))
print(pcall(string.find, "x", "[a"), pcall(string.rep))
print(("key=val"):match("(%w+)=(%w+)"), ("  trim  "):match("^%s*(.-)%s*$") .. "|")
print(("f(a(b)c)"):match("%b()"), ("THE (quick) fox"):find("%f[%a]%a+%f[%A]"))
print(("abc"):match("()b()"), ("abc"):find("b()"))
local t = {}
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do t[#t + 1] = k .. v end
print(table.concat(t, " "))
print(("abc"):gsub("b", "%%"), pcall(string.gsub, "abc", "b", "%"))
print(string.find(12345, 34), string.match(3.25, "%d+$"), string.gsub(100, 0, 1))
print(("x"):gsub(".", "%1"), pcall(string.gsub, "x", ".", "%9"))
print(pcall(string.gmatch, "x"))
