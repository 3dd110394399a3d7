-- many to-be-closed values, allocation inside __close, collections while
-- closing: nothing is lost or closed twice
local closed, made = 0, 0
local function res()
  made = made + 1
  return setmetatable({ payload = string.rep("x", 10) .. made }, {
    __close = function(self, err)
      closed = closed + 1
      local junk = {}
      for i = 1, 5 do junk[i] = { self.payload, i } end
      if closed % 50 == 0 then collectgarbage() end
    end,
  })
end

for i = 1, 200 do
  local a <close> = res()
  local b <close> = res()
  if i % 3 == 0 then
    local ok = pcall(function()
      local c <close> = res()
      error({ i })
    end)
  end
end
print(made, closed)

local total = 0
for round = 1, 50 do
  for k in function(_, c) if c < 4 then return c + 1 end end, nil, 0, res() do
    total = total + k
  end
end
print(total, made, closed)
