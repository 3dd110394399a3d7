-- os.exit(code, true) closes the state: pending to-be-closed variables close,
-- newest first, with no error; the exit code is kept
local x <close> = setmetatable({}, { __close = function(_, e) print("outer closed", e) end })
local function f()
  local y <close> = setmetatable({}, { __close = function(_, e) print("inner closed", e) end })
  do
    local z <close> = setmetatable({}, { __close = function(_, e) print("innermost closed", e) end })
    os.exit(3, true)
  end
end
f()
print("not reached")
