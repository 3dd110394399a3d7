-- A zero step is an error, for integers and floats.
print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = 1.0, 10, 0.0 do end end))
print(pcall(function() for i = 1, 10, "x" do end end))
print(pcall(function() for i = "a", 10 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, "2" do io.write(i, " ") end end))
for i = 1, 3, 0 do end
