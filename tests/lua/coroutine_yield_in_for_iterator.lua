-- A generic-for iterator function may yield; the loop resumes where it was.
local function iter(state, i)
  i = i + 1
  if i > state.n then return nil end
  local extra = coroutine.yield("iter " .. i)
  return i, extra
end
local co = coroutine.wrap(function()
  local out = {}
  for i, extra in iter, {n = 3}, 0 do
    out[#out + 1] = i .. ":" .. tostring(extra)
  end
  return table.concat(out, " ")
end)
print(co())
print(co("a"))
print(co("b"))
print(co("c"))
-- __pairs may yield too (pairs calls it with lua_callk)
local t = setmetatable({}, {__pairs = function(t)
  coroutine.yield("in __pairs")
  return next, {10, 20}, nil
end})
local co2 = coroutine.wrap(function()
  local s = 0
  for _, v in pairs(t) do s = s + v end
  return s
end)
print(co2())
print(co2())
