-- A function body left open until the end of the file.
local function f()
  if true then
    print(1)
  end
