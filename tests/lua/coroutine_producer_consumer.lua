-- Producer/consumer through a filter, as in Programming in Lua.
local function producer(items)
  return coroutine.create(function()
    for _, x in ipairs(items) do coroutine.yield(x) end
  end)
end
local function receive(prod)
  local ok, v = coroutine.resume(prod)
  assert(ok)
  return v
end
local function filter(prod)
  return coroutine.create(function()
    local n = 1
    while true do
      local x = receive(prod)
      if x == nil then break end
      coroutine.yield(string.format("%5d %s", n, x))
      n = n + 1
    end
  end)
end
local function consumer(prod)
  while true do
    local x = receive(prod)
    if x == nil then break end
    print(x)
  end
end
consumer(filter(producer({"alpha", "beta", "gamma", "delta"})))
