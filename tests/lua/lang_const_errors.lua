-- assignment to const variables is a compile-time error
local cases = {
  "local x <const> = 1; x = 2",
  "local x <const> = 1; local function f() x = 2 end",
  "local x <const> = {}; x.y = 1; x = nil",
  "local a, b <const> = 1, 2; a = 3; b = 4",
  "local x <const> = 1; x, y = 1, 2",
  "local x <foo> = 1",
  "local x <const>",
  "local x <const> = 1; for i = 1, 2 do x = i end",
  "local x <close> = nil; x = 1",
  "local a <close>, b <close> = nil, nil",
  "local function f() local x <const> = 1; return function() return function() x = 3 end end end",
  "local x < const > = 5 return x",
  "local x <const> = 1; x += 1",
}
for i, src in ipairs(cases) do
  local f, err = load(src, "=c")
  if f then print(i, "ok", f()) else print(i, err) end
end
