-- Comparisons without metamethods: lua5.4's messages (type names honour __name).
local function try(f) print(select(2, pcall(f))) end
local P = setmetatable({}, {__name = "Point"})
try(function() return {} < {} end)
try(function() return {} <= {} end)
try(function() return 1 < {} end)
try(function() return {} > 1 end)
try(function() return "a" < 1 end)
try(function() return 1 <= "a" end)
try(function() return nil < 1 end)
try(function() return P < P end)
try(function() return P <= 1 end)
try(function() return true >= P end)
try(function() return print < print end)
-- __eq does not make < work
local E = setmetatable({}, {__eq = function() return true end})
try(function() return E < E end)
-- only __le is not enough for <
local L = setmetatable({}, {__le = function() return true end})
print(L <= L, L >= L)
try(function() return L < L end)
