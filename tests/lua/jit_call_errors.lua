-- Errors raised in callees that compiled code called natively: messages with line
-- numbers, tracebacks through the natively pushed frames, stack overflow of deep
-- recursion, and pcall/error crossing native calls.

local function leaf(x)
  if x > 3 then return x + nil end
  return x
end
local function mid(x) return leaf(x) + 1 end
local function top(x) return mid(x) * 2 end

local s = 0
for i = 1, 3 do s = s + top(i) end
print("warm", s)
print(pcall(top, 4))

local ok, tb = xpcall(top, debug.traceback, 5)
print(ok)
-- The traceback's Lua lines (the C frames' wording is the engine's own).
for line in tb:gmatch("[^\n]+") do
  if line:find("jit_call_errors.lua:", 1, true) then print(line) end
end

-- debug.getinfo from inside a natively called callee sees its callers.
local function where() local i = debug.getinfo(2, "l") return i.currentline end
local function caller() return where() end
for _ = 1, 3 do caller() end
print("line", caller())

-- Deep recursion runs into stack overflow, caught.
local function down(n) return down(n + 1) + 1 end
local ok2, e2 = pcall(down, 1)
print(ok2, (string.gsub(e2, "^.-:%d+: ", "")))
local depth = 0
local function count(n) depth = n return count(n + 1) + 0 end
print(pcall(count, 1))
print(depth > 1000)

-- Error objects that are not strings, thrown from deep native calls.
local function thrower(n) if n == 0 then error({ code = 7 }) end return thrower(n - 1) + 1 end
local ok3, e3 = pcall(thrower, 50)
print(ok3, type(e3), e3.code)

-- error with a level pointing at the caller.
local function check(x) if type(x) ~= "number" then error("not a number", 2) end return x end
local function use(x) return check(x) + 1 end
for i = 1, 5 do use(i) end
print(pcall(use, "z"))

-- Finally, an uncaught error from a natively called callee ends the program.
for i = 1, 3 do top(i) end
top(10)
