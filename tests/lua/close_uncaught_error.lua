-- an uncaught error still closes the pending variables before the program ends
local x <close> = setmetatable({}, { __close = function(_, err)
  print("main close", type(err))
end })
local function f()
  local y <close> = setmetatable({}, { __close = function(_, err)
    print("f close", type(err))
  end })
  error("fatal")
end
print("start")
f()
print("not reached")
