-- A long comment never closed.
print(1)
--[[ this comment
never closes
