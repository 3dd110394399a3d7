-- A small JSON encoder/decoder exercising patterns, string building, recursion, errors.
local json = {}
local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 then return false end
    n = math.max(n, k)
  end
  return n == #t
end
function json.encode(v, out)
  out = out or {}
  local ty = type(v)
  if ty == "nil" then out[#out + 1] = "null"
  elseif ty == "boolean" then out[#out + 1] = tostring(v)
  elseif ty == "number" then
    if v ~= v or v == math.huge or v == -math.huge then error("cannot encode " .. tostring(v)) end
    out[#out + 1] = math.type(v) == "integer" and tostring(v) or string.format("%.14g", v)
  elseif ty == "string" then out[#out + 1] = encode_string(v)
  elseif ty == "table" then
    if is_array(v) then
      out[#out + 1] = "["
      for i, x in ipairs(v) do
        if i > 1 then out[#out + 1] = "," end
        json.encode(x, out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = tostring(k) end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = encode_string(k) .. ":"
        json.encode(v[k] == nil and v[tonumber(k)] or v[k], out)
      end
      out[#out + 1] = "}"
    end
  else error("cannot encode type " .. ty) end
  return out
end
function json.stringify(v) return table.concat(json.encode(v)) end

function json.decode(s)
  local pos = 1
  local function ws() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local function fail(what) error(string.format("json: %s at position %d", what, pos), 0) end
  local value
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = s:sub(pos, pos)
      if c == "" then fail("unterminated string") end
      if c == '"' then pos = pos + 1 break end
      if c == "\\" then
        local e = s:sub(pos + 1, pos + 1)
        local map = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }
        if e == "u" then
          local hex = s:match("^%x%x%x%x", pos + 2) or fail("bad unicode escape")
          out[#out + 1] = utf8.char(tonumber(hex, 16))
          pos = pos + 6
        else
          out[#out + 1] = map[e] or fail("bad escape")
          pos = pos + 2
        end
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
    return table.concat(out)
  end
  function value()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1 ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1 return t end
      repeat
        ws()
        if s:sub(pos, pos) ~= '"' then fail("expected key") end
        local k = str() ws()
        if s:sub(pos, pos) ~= ":" then fail("expected ':'") end
        pos = pos + 1
        t[k] = value() ws()
        local d = s:sub(pos, pos) pos = pos + 1
      until d ~= ","
      if s:sub(pos - 1, pos - 1) ~= "}" then pos = pos - 1 fail("expected '}'") end
      return t
    elseif c == "[" then
      local t = {}
      pos = pos + 1 ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1 return t end
      repeat
        t[#t + 1] = value() ws()
        local d = s:sub(pos, pos) pos = pos + 1
      until d ~= ","
      if s:sub(pos - 1, pos - 1) ~= "]" then pos = pos - 1 fail("expected ']'") end
      return t
    elseif c == '"' then return str()
    elseif s:find("^true", pos) then pos = pos + 4 return true
    elseif s:find("^false", pos) then pos = pos + 5 return false
    elseif s:find("^null", pos) then pos = pos + 4 return nil
    else
      local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if not num or num == "" then fail("unexpected character '" .. c .. "'") end
      pos = pos + #num
      return math.tointeger(tonumber(num)) or tonumber(num)
    end
  end
  local v = value() ws()
  if pos <= #s then fail("trailing garbage") end
  return v
end

local doc = { name = "apogee", version = 5.4, tags = {"vm", "jit", "lua"}, nested = { a = {1, 2, {3}}, b = false },
  text = "line\nbreak \"quoted\" \\ tab\t ctrl\1" }
local s = json.stringify(doc)
print(s)
local back = json.decode(s)
print(json.stringify(back) == s, back.tags[3], back.nested.a[3][1], back.version, math.type(back.nested.a[1]))
for _, bad in ipairs({ "{", "[1,2", '{"a" 1}', '"abc', "[1,]x", "tru", '{"k":"\\u12"}', "[1] 2" }) do
  print(bad, pcall(json.decode, bad))
end
print(pcall(json.stringify, {1, 0/0}))
print(pcall(json.stringify, {f = print}))
local big = {}
for i = 1, 200 do big[i] = { id = i, name = "item" .. i, score = i * 1.5, ok = i % 3 == 0 } end
local enc = json.stringify(big)
print(#enc, enc:sub(1, 80))
local dec = json.decode(enc)
local total = 0
for _, it in ipairs(dec) do total = total + it.score end
print(#dec, total, dec[200].name, dec[3].ok)
print(json.stringify(json.decode('  {"unicode":"\\u00e9\\u4e2d","arr":[ 1 , -2.5e3 , 0.125 ],"e":{}}  ')))
