-- A recursive-descent calculator over strings, using only sub and byte.
local function calc(src)
  local pos = 1
  local function peek()
    while src:sub(pos, pos) == " " do pos = pos + 1 end
    return src:sub(pos, pos)
  end
  local function fail(msg) error({msg = msg .. " at " .. pos}) end
  local expr
  local function number()
    local start = pos
    local seen_dot = false
    while true do
      local b = src:byte(pos)
      if b and b >= 48 and b <= 57 then pos = pos + 1
      elseif b == 46 and not seen_dot then seen_dot = true; pos = pos + 1
      else break end
    end
    if start == pos then fail("number expected") end
    return tonumber(src:sub(start, pos - 1))
  end
  local function primary()
    local c = peek()
    if c == "(" then
      pos = pos + 1
      local v = expr()
      if peek() ~= ")" then fail("')' expected") end
      pos = pos + 1
      return v
    elseif c == "-" then
      pos = pos + 1
      return -primary()
    end
    return number()
  end
  local function power()
    local base = primary()
    if peek() == "^" then pos = pos + 1; return base ^ power() end
    return base
  end
  local function term()
    local v = power()
    while true do
      local c = peek()
      if c == "*" then pos = pos + 1; v = v * power()
      elseif c == "/" then pos = pos + 1; v = v / power()
      elseif c == "%" then pos = pos + 1; v = v % power()
      else return v end
    end
  end
  function expr()
    local v = term()
    while true do
      local c = peek()
      if c == "+" then pos = pos + 1; v = v + term()
      elseif c == "-" then pos = pos + 1; v = v - term()
      else return v end
    end
  end
  local v = expr()
  if peek() ~= "" then fail("unexpected '" .. peek() .. "'") end
  return v
end
local cases = {"1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "10 / 4", "7 % 3", "-(2 + 3) * 2",
  "1.5 * 4", "100 - 1 - 1", "2 * (3 + (4 - 1)) / 3", "1 +", "(1 + 2", "3 $ 4", "1..2"}
for _, c in ipairs(cases) do
  local ok, r = pcall(calc, c)
  if ok then print(c, "=", r) else print(c, "error:", r.msg) end
end
