-- An uncaught error with a table value reports the value's type.
io.write("partial line without newline")
error({})
