-- load with a reader function: pieces are concatenated until nil or "".
local function pieces(list)
  local i = 0
  return function() i = i + 1; return list[i] end
end
print(load(pieces({"return ", "1 ", "+ ", "41"}))())
print(load(pieces({"return 'a'", "", "..'b'"}))())
print(load(pieces({}))())
print(load(pieces({"return ", 7}))())
print(load(pieces({"x = "}), "=reader"))
print(load(pieces({"x = "})))
-- the reader runs until the end; count the calls
local calls = 0
load(function() calls = calls + 1; if calls < 5 then return " " end end)
print(calls)
-- reader errors, and a reader returning a non-string (under pcall, as lua.c's message
-- handler would append a traceback otherwise)
print(pcall(load, function() error("reader broke", 0) end))
local ok, f, e = pcall(load, function() error({}) end)
print(ok, f, type(e))
print(pcall(load, function() return {} end))
print(pcall(load, function() return true end))
-- arguments
print(pcall(load))
print(pcall(load, nil))
print(pcall(load, {}))
