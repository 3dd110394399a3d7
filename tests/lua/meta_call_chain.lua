-- __call whose handler is itself a callable object: every object in the chain becomes
-- an argument, innermost first.
local f = function(...)
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do
    local v = select(i, ...)
    parts[i] = type(v) == "table" and v.tag or tostring(v)
  end
  return n .. ":" .. table.concat(parts, ",")
end
local h2 = setmetatable({tag = "h2"}, {__call = f})
local h1 = setmetatable({tag = "h1"}, {__call = h2})
local obj = setmetatable({tag = "obj"}, {__call = h1})
print(obj(1, 2))
print(h1())
print(pcall(obj, "p"))
-- a native handler
local p = setmetatable({}, {__call = type})
print(p("#"), p())
local q = setmetatable({}, {__call = rawequal})
print(q(q), q(1))
