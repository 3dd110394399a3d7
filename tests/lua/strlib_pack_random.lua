-- Random formats and values (fixed seed): pack, packsize, unpack, truncated unpack.
local seed = 7
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
local opts = {"b","B","h","H","l","L","j","J","T","i","I","f","d","n","s","z","x","c","X","!","<",">","="," "}
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local vals = {0, 1, -1, 127, 128, 255, 256, -129, 65535, 2^31, -2^31, math.maxinteger, math.mininteger, 0.5, "7", "abc", "", "a\0b"}
for iter = 1, 400 do
  local fmt, args = {}, {}
  for k = 1, rnd(5) + 1 do
    local o = opts[rnd(#opts) + 1]
    if o == "i" or o == "I" or o == "s" or o == "!" then
      if rnd(3) > 0 then o = o .. tostring(rnd(18)) end
    elseif o == "c" then o = o .. tostring(rnd(5))
    elseif o == "X" then o = o .. opts[rnd(#opts) + 1] .. (rnd(2) == 0 and tostring(rnd(9)) or "")
    end
    fmt[#fmt + 1] = o
    args[#args + 1] = vals[rnd(#vals) + 1]
  end
  fmt = table.concat(fmt)
  local ok, s = pcall(string.pack, fmt, table.unpack(args))
  local ok2, sz = pcall(string.packsize, fmt)
  if ok then
    local r = table.pack(pcall(string.unpack, fmt, s))
    for i = 1, r.n do r[i] = tostring(r[i]) end
    print(iter, fmt, hex(s), ok2, sz, table.concat(r, ","))
    local p = rnd(#s + 3) - 1
    print(pcall(string.unpack, fmt, s:sub(1, rnd(#s + 1)), p))
  else
    print(iter, fmt, s, ok2, sz)
  end
end
