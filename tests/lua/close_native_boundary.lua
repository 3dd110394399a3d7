-- errors crossing native functions (sort comparators, gsub callbacks) close
-- the variables of the Lua frames they unwind
local function closer(name)
  return setmetatable({}, { __close = function(_, err)
    print("close " .. name, err)
  end })
end

print(pcall(table.sort, { 3, 2, 1 }, function(a, b)
  local c <close> = closer("comparator")
  error("cmp failed", 0)
end))

print(pcall(function()
  local outer <close> = closer("outer")
  return string.gsub("abc", "%w", function(ch)
    local inner <close> = closer("gsub " .. ch)
    if ch == "b" then error("bad char " .. ch, 0) end
    return ch:upper()
  end)
end))

-- closing normally inside callbacks
print(string.gsub("xy", "%w", function(ch)
  local v <close> = closer("cb " .. ch)
  return ch .. ch
end))

-- __close itself may call natives that call back into Lua
do
  local s <close> = setmetatable({}, { __close = function()
    local t = { 5, 1, 4 }
    table.sort(t, function(a, b) return a > b end)
    print("sorted in close", table.concat(t, " "))
  end })
end
