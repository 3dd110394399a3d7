-- Each coroutine has its own stack: interleaved generators keep their own locals.
local function counter(name, start, step)
  return coroutine.wrap(function()
    local value = start
    local history = {}
    while true do
      history[#history + 1] = value
      coroutine.yield(name .. "=" .. value .. " (" .. #history .. ")")
      value = value + step
    end
  end)
end
local gens = {counter("a", 0, 1), counter("b", 100, 10), counter("c", -5, -5)}
for round = 1, 3 do
  local line = {}
  for _, g in ipairs(gens) do line[#line + 1] = g() end
  print(table.concat(line, "  "))
end
