-- and/or return one of their operands, not a boolean.
print(nil and 1, false and 1, 0 and 1, "" and "yes", 1 and nil)
print(nil or 1, false or nil, 0 or 1, nil or false, false or "default")
print(1 and 2 or 3, nil and 2 or 3, false or nil and 1)
local function default(v) return v or "none" end
print(default(nil), default(false), default(0), default("v"))
local x = nil
local y = x and x.field or "safe"
print(y)
print(not nil, not false, not 0, not "", not not nil, not not {})
