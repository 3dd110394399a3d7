-- debug.getupvalue / debug.setupvalue
local a, b = 1, "b"
local function f()
  return a, b
end
print(debug.getupvalue(f, 1))
print(debug.getupvalue(f, 2))
print(select("#", debug.getupvalue(f, 3)))
print(select("#", debug.getupvalue(f, 0)))
print(select("#", debug.getupvalue(f, -1)))

print(debug.setupvalue(f, 1, 100))
print(debug.setupvalue(f, 2, "bee"))
print(f())
print(a, b)
print(select("#", debug.setupvalue(f, 3, 0)))

-- shared upvalues: both closures see the change
local function counter()
  local n = 0
  local function inc() n = n + 1 return n end
  local function get() return n end
  return inc, get
end
local inc, get = counter()
inc()
print(debug.getupvalue(get, 1))
debug.setupvalue(inc, 1, 41)
print(inc(), get())

-- the main chunk's _ENV
local function usesglobal() return print end
local envname, env = debug.getupvalue(usesglobal, 1)
print(envname, env == _ENV)

-- native functions: upvalue names are empty strings
local it = string.gmatch("abc", "b")
local name = debug.getupvalue(it, 1)
print(name == nil or name == "")
print(select("#", debug.getupvalue(print, 1)))

-- argument errors
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.getupvalue, f))
print(pcall(debug.setupvalue, f, 1))
print(pcall(debug.getupvalue, {}, 1))
