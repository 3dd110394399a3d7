-- A final comment without a trailing newline must still parse.
print("ok")
-- no newline after this