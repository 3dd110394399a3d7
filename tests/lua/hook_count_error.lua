-- An error raised by the count hook stops a runaway loop; pcall catches it.
local function runaway()
  local i = 0
  while true do i = i + 1 end
end
debug.sethook(function() error("too long", 0) end, "", 1000)
local ok, err = pcall(runaway)
debug.sethook()
print(ok, err)
print(debug.gethook())
