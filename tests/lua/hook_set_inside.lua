-- A hook set or removed in the middle of a function takes effect at the next instruction.
local lines = {}
local function rec(ev, line) lines[#lines + 1] = line end
local function f()
  local a = 1
  debug.sethook(rec, "l")
  local b = a + 1
  local c = b + 1
  debug.sethook()
  local d = c + 1
  return d
end
print(f())
print(table.concat(lines, " "))
local function g(n)
  if n == 0 then debug.sethook(rec, "l") return 0 end
  return g(n - 1) + 1
end
lines = {}
print(g(2))
debug.sethook()
print(table.concat(lines, " "))
