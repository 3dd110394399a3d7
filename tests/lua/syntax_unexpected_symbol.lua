-- A stray symbol where a statement should start.
print("never printed")
x = 1 +* 2
