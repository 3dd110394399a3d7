-- An unclosed parenthesis at the end of input.
print((1 + 2)
