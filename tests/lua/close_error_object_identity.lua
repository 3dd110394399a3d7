-- __close gets the very error object raised, tables included
local errobj = { code = 7 }
local seen
print(pcall(function()
  local x <close> = setmetatable({}, { __close = function(_, e)
    seen = e
    print("close sees table", type(e), e == errobj, e.code)
  end })
  error(errobj)
end) == false)
print(seen == errobj)

-- a normal exit passes nil, and exactly two arguments
do
  local y <close> = setmetatable({}, { __close = function(...)
    print("normal close args", select("#", ...), (select(2, ...)))
  end })
end

-- the values returned by __close are ignored
local function f()
  local z <close> = setmetatable({}, { __close = function() return 1, 2, 3 end })
  return "only"
end
print(select("#", f()), f())
