-- Results written by runtime helpers inside compiled loops: native code must read what
-- the helper wrote, never a value from before the call (table reads through __index,
-- method lookups, concatenation, length with __len, arithmetic metamethods, numeric
-- for loops prepared by the helper).

local proxy = setmetatable({}, {
  __index = function(_, k)
    if k % 3 == 0 then return nil end
    return k * 10
  end,
})
local function read_all(t, n)
  local sum, nils = 0, 0
  for i = 1, n do
    local v = t[i]
    if v then sum = sum + v else nils = nils + 1 end
  end
  return sum, nils
end
print(read_all(proxy, 100))
print(read_all({ 1, 2, 3, nil, 5 }, 5))

-- Method lookups (Self) through __index, with the receiver kept.
local Account = {}
Account.__index = Account
function Account.new(b) return setmetatable({ balance = b }, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account:get() return self.balance end
local function run_accounts(n)
  local a = Account.new(0)
  for i = 1, n do
    a:deposit(i)
    if i % 10 == 0 then a = Account.new(a:get()) end
  end
  return a:get()
end
print(run_accounts(200))

-- Concatenation and __concat, the result read right after.
local tag = setmetatable({}, { __concat = function(a, b)
  local x = type(a) == "table" and "T" or a
  local y = type(b) == "table" and "T" or b
  return x .. y
end })
local function strings(n)
  local total = 0
  for i = 1, n do
    local s = i .. "-" .. (i * 2)
    local u = tag .. i
    total = total + #s + #u
  end
  return total
end
print(strings(100))

-- Length through __len and arithmetic through __add, results changing type.
local lenny = setmetatable({}, { __len = function() return 7 end })
local adder = setmetatable({}, { __add = function(a, b)
  if type(a) == "table" then return b + 0.5 end
  return a + 0.25
end })
local function meta_ops(n)
  local acc = 0
  for i = 1, n do
    local l = #lenny
    local x = adder + i
    local y = i + adder
    acc = acc + l + x + y
  end
  return acc
end
print(meta_ops(100))

-- Numeric for loops whose bounds are strings or floats (prepared by the helper), with
-- the control variable read in the body.
local function loops(n)
  local acc = 0
  for r = 1, n do
    for i = "1", 3 do acc = acc + i end
    for x = 0.5, 2 do acc = acc + x end
    for j = r, r + 2, "1" do acc = acc + j end
  end
  return acc
end
print(loops(50))

-- A collection inside __index while earlier results sit in registers.
local churn = setmetatable({}, { __index = function(_, k)
  if k % 17 == 0 then collectgarbage() end
  return { k }
end })
local function gather(n)
  local keep = {}
  for i = 1, n do
    local v = churn[i]
    local w = churn[i + 1]
    keep[#keep + 1] = v[1] + w[1]
  end
  local s = 0
  for _, x in ipairs(keep) do s = s + x end
  return s
end
print(gather(120))

-- A value computed before a helper call and read after it, dirty on one way into the
-- call and already written back on the other: it must survive the call.
local function survive(n)
  local acc = 0
  for i = 1, n do
    local x = i * 3
    if i % 2 == 0 then
      local _ = proxy[i]
    end
    local v = proxy[i + 1]
    acc = acc + x + (v or 0)
  end
  return acc
end
print(survive(90))
