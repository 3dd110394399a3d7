-- io.write formats floats with %.14g (no ".0"), unlike print and tostring.
io.write(1.0, " ", 3.0, " ", -0.0, " ", 0.5, " ", 1e15, " ", 2^53, " ", 1e100, "\n")
io.write(1, " ", -7, " ", math.maxinteger, " ", 1/0, " ", -1/0, "\n")
print(1.0, 3.0, -0.0, 2^53)
io.write(tostring(1.0), " ", 1.0 .. "", "\n")
io.write(string.format("%s %s", 2.0, 2), "\n")
