-- An uncaught error whose value is a number is shown as a string.
error(42)
