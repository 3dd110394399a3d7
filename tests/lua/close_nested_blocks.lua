-- each block closes its own variables when it ends, innermost first
local log = {}
local function closer(name)
  return setmetatable({}, { __close = function() log[#log + 1] = name end })
end

do
  local outer <close> = closer("outer")
  do
    local mid <close> = closer("mid")
    do
      local inner <close> = closer("inner")
      log[#log + 1] = "deepest"
    end
    log[#log + 1] = "after inner"
  end
  log[#log + 1] = "after mid"
end
print(table.concat(log, " "))

log = {}
for i = 1, 3 do
  local v <close> = closer("iter" .. i)
  if i % 2 == 0 then
    local w <close> = closer("even" .. i)
  end
end
print(table.concat(log, " "))

log = {}
local function f(n)
  local a <close> = closer("f" .. n)
  if n > 0 then
    f(n - 1)
  end
  log[#log + 1] = "ret" .. n
end
f(3)
print(table.concat(log, " "))
