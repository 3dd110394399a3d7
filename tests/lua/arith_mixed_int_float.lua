-- Mixing integers and floats converts to float; integer-only results stay integers.
print(1 + 2, 1 + 2.0, 1.5 + 1.5, math.type(1.5 + 1.5))
print(3 * 1.0, 3 - 3.0, 2 * 0.5)
print(math.type(3 + 0), math.type(3 + 0.0))
print(0.1 + 0.2, 0.1 + 0.2 == 0.3)
print(1e15 + 1, 1e16 + 1, 2^53 + 1)
print(100 * 1.1, 3.0 == 3, 1/3 * 3)
print(9007199254740993 + 0.0, 9007199254740993 + 0)
