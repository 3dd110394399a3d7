-- deep but legal nesting of blocks, parentheses, tables and functions
local function rep(s, n) return string.rep(s, n) end
local function run(src)
  local f, e = load(src, "=nest")
  if not f then print("error", e) return end
  print(f())
end
-- 150 nested parentheses
run("return " .. rep("(", 150) .. "42" .. rep(")", 150))
-- 100 nested do blocks
run(rep("do ", 100) .. "x = 1 " .. rep("end ", 100) .. "return x")
-- 60 nested ifs and whiles
run("local n = 0 " .. rep("if true then ", 60) .. "n = 60 " .. rep("end ", 60) .. "return n")
run("local n = 0 " .. rep("while n < 1 do ", 50) .. "n = n + 1 " .. rep("end ", 50) .. "return n")
-- nested table constructors
run("local t = " .. rep("{", 100) .. "7" .. rep("}", 100) .. " for i = 1, 100 do t = t[1] end return t")
-- nested function definitions (each a closure over the previous)
run("local v = 'deep' return " .. rep("(function() return ", 50) .. "v" .. rep(" end)()", 50))
-- nested unary operators
run("return " .. rep("- ", 100) .. "5, " .. rep("not ", 101) .. "nil, " .. rep("~", 99) .. "0")
-- right-associative chains: concatenation and power
run("return " .. rep("'a' .. ", 150) .. "'b'")
run("return #(" .. rep("'a' .. ", 150) .. "'b')")
run("return " .. rep("1 ^ ", 150) .. "2")
-- chained field access and calls
run("local t = {} t.t = t return t" .. rep(".t", 300) .. " == t")
run("local function f() return f end return f" .. rep("()", 300) .. " == f")
run("local s = 'x' return s" .. rep(":upper()", 100))
-- nested loops with breaks
run("local c = 0 " .. rep("for i = 1, 2 do ", 12) .. "c = c + 1 " .. rep("end ", 12) .. "return c")
