-- To-be-closed variables inside coroutines: closing a suspended coroutine closes them
-- (with no error); an error kills the coroutine and they wait for coroutine.close (with
-- the error); coroutine.wrap closes at once; __close errors replace the result.
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, type(err) == "table" and "a table" or err, coroutine.isyieldable())
  end })
end

local co = coroutine.create(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  coroutine.yield(1)
  print("not reached")
end)
print(coroutine.resume(co))
print(coroutine.close(co), coroutine.status(co))

co = coroutine.create(function()
  local a <close> = closer("a2")
  pcall(function()
    local inner <close> = closer("inner")
    coroutine.yield("in pcall")
  end)
  print("not reached either")
end)
print(coroutine.resume(co))
print(coroutine.close(co))

co = coroutine.create(function()
  local a <close> = closer("a3")
  error("boom")
end)
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.close(co))
print(coroutine.close(co))

co = coroutine.create(function()
  local a <close> = setmetatable({}, { __close = function() error("close failed", 0) end })
  coroutine.yield()
end)
coroutine.resume(co)
print(coroutine.close(co))

local w = coroutine.wrap(function()
  local a <close> = closer("w")
  error({ code = 7 })
end)
local ok, e = pcall(w)
print(ok, type(e), e.code)

w = coroutine.wrap(function()
  local a <close> = setmetatable({}, { __close = function(_, err) error("replaced: " .. tostring(err), 0) end })
  error("original", 0)
end)
print(pcall(w))

-- A generic for's closing value inside a coroutine closed while suspended.
local function iter()
  local closing = closer("for")
  return function(_, i) i = i + 1; if i <= 3 then return i end end, nil, 0, closing
end
co = coroutine.wrap(function()
  for i in iter() do coroutine.yield(i) end
end)
print(co(), co())
-- finished normally: closes at loop end
local co2 = coroutine.wrap(function() for i in iter() do end return "done" end)
print(co2())
