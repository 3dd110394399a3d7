-- numeric for with float steps, large bounds, and float/int mixing
local function run(a, b, c)
  local t = {}
  local n = 0
  for i = a, b, c do
    n = n + 1
    if n <= 6 then t[#t + 1] = string.format("%s", i) .. ":" .. math.type(i) end
    if n > 1000 then break end
  end
  print(a, b, c, n, table.concat(t, " "))
end
run(0, 1, 0.25)
run(1, 0, -0.25)
run(0.1, 0.5, 0.1)
run(1, 3, 1.0)
run(1.0, 3, 1)
run(1, 3.5, 1)
run(1, -3.5, -1)
run(math.maxinteger - 2, math.maxinteger, 1)
run(math.mininteger + 2, math.mininteger, -1)
run(math.maxinteger - 1, 1e100, 1)
run(1, math.huge, 2^62)
run(-1, -math.huge, -2^62)
run(math.mininteger, math.mininteger + 10, 5)
run(0, math.maxinteger, math.maxinteger)
run(0, math.mininteger, math.mininteger)
run(1, 0, 1)
run(1, 1, 1)
run(3, 1.5, -1)
run(1, 2^53, 2^52)
run(2^53, 2^53 + 2, 1)
run(0.5, 2, 0.5)
run(1, 0.5, 0.5)
run(1e300, 1e301, 1e300)
run(-0.0, 0, 1)
run(1, 2, 0.1 * 3)
print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = 1, 10, 0.0 do end end))
print(pcall(function() for i = "1", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, "x" do end end))
print(pcall(function() for i = 1, 2, "1" do end end))
print(pcall(function() for i = 1.0, 0/0 do print("nan loop") end return "ok" end))
print(pcall(function() for i = 0/0, 1 do print("nan loop") end return "ok" end))
