-- An uncaught error with a nil value.
print("before")
error()
