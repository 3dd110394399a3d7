-- static goto/label errors, compared with lua5.4's messages
local cases = {
  "goto nowhere",
  "do ::a:: end goto a",
  "::a:: ::a::",
  "::a:: do ::a:: end",
  "local function f() goto out end ::out::",
  "::out:: local function f() goto out end",
  "for i=1,2 do end goto x",
  "repeat goto cont; local x; ::cont:: until x",
  "goto 1",
  "::x",
  "do goto l; local a; ::l:: print(a) end",
  "while true do goto continue end",
  "break",
  "if x then break end",
  "local x <const> = 1; ::a:: ::b:: goto c",
}
for i, src in ipairs(cases) do
  local f, err = load(src, "=src")
  print(i, f and "ok" or err)
end
