-- break outside any loop.
print("x")
break
