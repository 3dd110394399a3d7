-- very long suffix chains (fields, calls, methods, indexes): lua5.4 accepts any length
local function run(name, src)
  local f, e = load(src, "=" .. name)
  if not f then print(name, "error", e) return end
  print(name, pcall(f))
end
local n = 20000
run("fields", "local t = {} t.b = t return t" .. (".b"):rep(n) .. " == t")
run("calls", "local function f() return f end return f" .. ("()"):rep(n) .. " == f")
run("methods", "local o = {} function o:m() return self end return o" .. (":m()"):rep(n) .. " == o")
run("mixed", "local o = {} o.x = o function o:m(a) return self end return o" .. ("(1).x:m(2)"):rep(n // 3) .. " == o")
run("index_assign", "local t = {} t[1] = t; t" .. ("[1]"):rep(n) .. ".c = 5 return t.c")
run("string_args", "local function f(s) return f end return f" .. ("'x'{}"):rep(n // 2) .. " == f")
run("err_deep", "local t = {} t.b = t return t" .. (".b"):rep(n) .. ".c.d")
run("call_results", "local function f(...) return f, ... end return select('#', f" .. ("(1, 2)"):rep(n) .. ")")
run("tail", "local function f() return f end local function g() return f" .. ("()"):rep(n) .. "() end return g() == f")
