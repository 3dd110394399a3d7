-- string.upper/lower change only ASCII letters.
print(("Hello, World! 123"):upper(), ("Hello, World! 123"):lower())
print(string.upper(""), string.lower("ÀB"), #string.upper("\0a"))
print(string.upper(12), string.lower(1.5))
print(pcall(string.upper))
print(pcall(string.lower, {}))
