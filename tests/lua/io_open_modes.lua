-- io.open in every mode: what each mode reads, writes and keeps.
local name = os.tmpname()  -- unique: configurations run concurrently
local function contents()
  local f = assert(io.open(name, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local f = assert(io.open(name, "w"))
print(f:write("hello\n", "world\n") == f)
print(f:close())
print(contents())

f = assert(io.open(name, "a"))
f:write("more\n")
f:close()
print(contents())

f = assert(io.open(name, "r"))
print(f:read("l"))
print(f:read("L"))
f:close()

f = assert(io.open(name, "r+"))
print(f:read("l"))
f:seek("set", 0)
f:write("HELLO")
f:close()
print(contents())

f = assert(io.open(name, "w+"))
print(f:read("a") == "")
f:write("fresh")
f:seek("set")
print(f:read("a"))
f:close()

f = assert(io.open(name, "a+"))
f:write("+tail")
f:seek("set")
print(f:read("a"))
f:close()

for _, m in ipairs{"rb", "wb", "ab", "r+b", "w+b", "a+b", "rbb"} do
  local g, err = io.open(name, m)
  print(m, io.type(g), err)
  g:close()
end
print(os.remove(name))
