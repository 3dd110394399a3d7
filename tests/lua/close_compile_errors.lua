-- compile-time rules: const and close variables cannot be assigned, unknown
-- attributes, one to-be-closed variable per list, goto into a local's scope
local function try(src)
  local f, err = load(src, "=src")
  print(f and "compiled" or err)
end
try("local x <const> = 1; x = 2")
try("local x <close> = nil; x = 2")
try("local x <close> = nil; local function f() x = 1 end")
try("local x <const> = 1; local function f() x = 1 end")
try("local x <foo> = 1")
try("local x <close>, y <close> = nil, nil")
try("local x <const>, y <close> = 1, nil")
try("do goto l; local x <close> = nil; ::l:: print(x) end")
try("do goto l; local y = 1; ::l:: print(y) end")
try("do goto l; local y <close> = nil; ::l:: end")
try("repeat goto l; local z <close> = nil; ::l:: until z")
try("local a <const> = 10; local b <close> = nil; return a + 1")
