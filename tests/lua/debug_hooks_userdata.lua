-- hooks are stored and returned; user values of non-userdata
print(debug.gethook())
local function nop() end
debug.sethook(nop, "l")
local f, mask, count = debug.gethook()
debug.sethook()
print(f == nop, mask, count)
print(debug.gethook())

debug.sethook(nop, "crl", 0)
f, mask, count = debug.gethook()
debug.sethook(nil)
print(f == nop, mask, count)

debug.sethook(nop, "lrc")
f, mask, count = debug.gethook()
debug.sethook()
print(mask, count)

-- an empty mask turns hooks off
debug.sethook(nop, "")
print(debug.gethook())
debug.sethook(nop, "x")
print(debug.gethook())

print(pcall(debug.sethook, 1, "l"))
print(pcall(debug.sethook, nop))
print(debug.gethook())

-- user values exist only for userdata
print(debug.getuservalue({}), select("#", debug.getuservalue({})))
print(debug.getuservalue(1, 2), debug.getuservalue())
print(pcall(debug.setuservalue, {}, 1))
print(pcall(debug.setuservalue, 1, 1, 2))
print(pcall(debug.getuservalue, 1, "x"))
