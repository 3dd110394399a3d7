-- Text processing: word frequencies, line wrapping, a template engine, CSV parsing.
local text = [[
The quick brown fox jumps over the lazy dog. The dog, being lazy, does not jump;
the fox jumps again -- and again! Numbers like 3.14, 42 and 1e3 are not words.
"Quoted text", (parenthesised text) and hyphen-ated words count too.
]]
local freq, order = {}, {}
for w in text:lower():gmatch("%a+") do
  if not freq[w] then order[#order + 1] = w end
  freq[w] = (freq[w] or 0) + 1
end
table.sort(order, function(a, b) if freq[a] ~= freq[b] then return freq[a] > freq[b] end return a < b end)
for i = 1, 8 do io.write(order[i], "=", freq[order[i]], i < 8 and " " or "\n") end

local function wrap(s, width)
  local lines, line = {}, ""
  for word in s:gmatch("%S+") do
    if #line + #word + 1 > width and #line > 0 then lines[#lines + 1] = line; line = word
    else line = #line > 0 and line .. " " .. word or word end
  end
  if #line > 0 then lines[#lines + 1] = line end
  return lines
end
for i, l in ipairs(wrap(text, 30)) do print(string.format("%2d|%-30s|", i, l)) end

local function render(tpl, env)
  return (tpl:gsub("{{%s*([%w_.]+)%s*}}", function(path)
    local v = env
    for part in path:gmatch("[^.]+") do v = type(v) == "table" and v[part] or nil end
    return v == nil and "?" or tostring(v)
  end):gsub("{%%%s*for (%w+) in (%w+)%s*%%}(.-){%%%s*end%s*%%}", function(var, list, body)
    local out = {}
    for _, item in ipairs(env[list] or {}) do
      out[#out + 1] = body:gsub("%$" .. var, tostring(item))
    end
    return table.concat(out)
  end))
end
print(render("Hello {{ user.name }}, you have {{count}} items{% for x in items %} [$x]{% end %}. {{missing.x}}",
  { user = { name = "Ada" }, count = 3, items = { "a", "b", "c" } }))

local csv = 'id,name,score\n1,"Smith, J",90.5\n2,"O""Brien",78\n3,Lee,\n'
local function parse_csv_line(line)
  local fields, pos = {}, 1
  while pos <= #line + 1 do
    if line:sub(pos, pos) == '"' then
      local value, i = "", pos + 1
      while true do
        local q = line:find('"', i, true)
        if not q then error("unterminated quote") end
        value = value .. line:sub(i, q - 1)
        if line:sub(q + 1, q + 1) == '"' then value = value .. '"'; i = q + 2 else pos = q + 2; break end
      end
      fields[#fields + 1] = value
    else
      local comma = line:find(",", pos, true) or #line + 1
      fields[#fields + 1] = line:sub(pos, comma - 1)
      pos = comma + 1
    end
  end
  return fields
end
local rows = {}
for line in csv:gmatch("([^\n]*)\n") do rows[#rows + 1] = parse_csv_line(line) end
for _, r in ipairs(rows) do print(#r, table.concat(r, "|")) end
local total = 0
for i = 2, #rows do total = total + (tonumber(rows[i][3]) or 0) end
print("total", total)
print(("%5.1f%%"):format(12.345), ("x"):rep(3, "-"), ("abc"):reverse():upper(), ("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(string.format("%-8s|%8s|%08.3f|%x|%q", "left", "right", -3.14159, 48879, "a\tb"))
