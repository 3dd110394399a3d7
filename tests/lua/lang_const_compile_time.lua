-- which <const> locals are compile-time constants shows in runtime error messages:
-- a compile-time constant is its value (no variable name), others are named locals
local function try(f) print(pcall(f)) end
local a <const>, b <const> = 1, 2          -- only the last name can be a constant
try(function() return a.x end)
try(function() return b.x end)
local c <const>, d <const> = 3             -- adjusted: d is a nil local, no constant
try(function() return c.x end)
try(function() return d.x end)
local nz <const> = -0.0                    -- -0.0 never folds
try(function() return nz.x end)
local big <const> = 2^53                   -- folds
try(function() return big.x end)
local cat <const> = "a" .. "b"             -- concatenation never folds
try(function() return cat & 1 end)
local str <const> = "ab"
try(function() return str & 1 end)
local nt <const> = not nil                 -- folds to true
try(function() return nt.x end)
local o <const> = nil or "x"               -- folds to "x"
try(function() return o | 1 end)
local p <const> = 1 and nil                -- folds to nil
try(function() return p.x end)
local q <const> = nil and 1                -- does not fold
try(function() return q.x end)
local r <const> = 1 < 2                    -- comparisons never fold
try(function() return r.x end)
local s <const> = (7 // 2) * 2.5 - (1 << 4) % 3
try(function() return s.x end)
print(s, math.type(s))
local z <const> = 0.0 * 1                  -- zero float result: no folding
try(function() return z.x end)
local dz <const> = 1
local e <const> = dz // 0                  -- division by zero is not folded...
print("not reached", e)
