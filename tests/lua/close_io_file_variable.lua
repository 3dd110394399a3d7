-- A file in a <close> variable is closed when its scope ends (by the file's __close).
local name = os.tmpname()
local kept
do
  local f <close> = assert(io.open(name, "w"))
  f:write("hello\n")
  kept = f
  print(io.type(f))
end
print(io.type(kept), tostring(kept))
local function read_first()
  local f <close> = assert(io.open(name))
  kept = f
  return f:read("l")
end
print(read_first(), io.type(kept))
print(pcall(function()
  local f <close> = assert(io.open(name))
  kept = f
  error("boom")
end))
print(io.type(kept))
for l in io.lines(name) do print("line", l) end
os.remove(name)
