-- Unary minus on integers, floats, zero and strings.
print(-1, - -1, -(-1), -0, -0.0, - 0.0)
print(-math.mininteger, -math.maxinteger)
print(-"2", -"2.5", -" 3 ", math.type(-"2"), math.type(-"2.0"))
print(-(1/0), -(-1/0))
local x = 5
print(-x, - -x, -x ^ 2, (-x) ^ 2)
