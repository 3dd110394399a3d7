-- An uncaught integer modulo by zero ends the script with its message.
local a, b = 5, 0
print("before")
print(a % b)
print("not reached")
