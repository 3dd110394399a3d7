-- an uncaught error object that is a userdata is shown through its __tostring
local f = io.tmpfile()
f:close()
print(pcall(error, f))
error(f)
