-- The script's arg table is a table with no positional arguments here.
print(type(arg), #arg)
print(arg[1])
