-- os.difftime returns a float difference of two integer times.
print(os.difftime(5, 3), math.type(os.difftime(5, 3)))
print(os.difftime(0, 86400))
print(os.difftime(10.0, 4))
print(os.difftime(os.time{year=2021, month=1, day=1, hour=0}, os.time{year=2020, month=1, day=1, hour=0}))
print(pcall(os.difftime, 5))
print(pcall(os.difftime))
print(pcall(os.difftime, 1.5, 1))
print(pcall(os.difftime, "a", 1))
