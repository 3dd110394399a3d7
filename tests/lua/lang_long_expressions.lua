-- very long left-associative expressions: lua5.4 accepts them at any length
local function run(name, src)
  local f, e = load(src, "=" .. name)
  if not f then print(name, "error", e) return end
  print(name, pcall(f))
end
local function chain(first, op, term, n)
  local parts = {first}
  for _ = 1, n do parts[#parts + 1] = op .. term end
  return table.concat(parts)
end
run("add500", "local a = 1 return " .. chain("a", " + ", "a", 499))
run("sub2000", "local a = 1 return " .. chain("0", " - ", "a", 2000))
run("mixed5000", "local a, b = 3, 2 return " .. chain("a", " + ", "a * b - b", 5000))
run("float3000", "return " .. chain("0.5", " + ", "0.25", 3000))
run("and1500", "local t = true return " .. chain("t", " and ", "t", 1500))
run("or1500", "local f = false return " .. chain("f", " or ", "f", 1499) .. " or 'last'")
run("andor2000", "local x = 1 return " .. chain("nil", " and x or ", "x", 2000))
run("bor3000", "return " .. chain("0", " | ", "1 << 3 & 15 ~ 2", 3000))
run("cmp1000", "local a = 1 return " .. chain("a", " == a ~= ", "false", 1000))
run("idiv1200", "return " .. chain("math.maxinteger", " // ", "1", 1200))
run("concatsum", "return 'n=' .. " .. chain("1", " + ", "1", 20000))
run("add100k", "local a = 1 return " .. chain("a", "+", "a", 99999))
run("calls", "local function f(x) return x + 1 end return " .. chain("f(0)", " + ", "f(1)", 4000))
run("strcoerce", "return " .. chain("'1'", " + ", "'2'", 1000))
run("err_late", "local a = 1 return " .. chain("a", " + ", "a", 3000) .. " + nil")
run("syntax_late", "return " .. chain("1", " + ", "1", 3000) .. " + ")
