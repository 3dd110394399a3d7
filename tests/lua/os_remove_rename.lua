-- os.remove and os.rename on files and directories.
-- Names are unique (configurations run concurrently) and hidden from the output.
local a, b, d = os.tmpname(), os.tmpname(), os.tmpname()
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do
    if type(t[i]) == "string" then
      t[i] = t[i]:gsub(a, "A"):gsub(b, "B"):gsub(d, "D")
    end
    t[i] = tostring(t[i])
  end
  print(table.concat(t, "\t"))
end
local ra, rb, rd = a, b, d  -- /tmp/lua_XXXXXX: no pattern magic characters
local f = assert(io.open(ra, "w"))
f:write("content")
f:close()
show(os.rename(ra, rb))
show(io.open(ra))
f = assert(io.open(rb))
show(f:read("a"))
f:close()
show(os.rename(ra, rb))
show(os.remove(rb))
show(os.remove(rb))
show(os.remove(rd))
show(io.popen("mkdir " .. rd):close())
show(os.remove(rd))
show(io.popen("mkdir " .. rd .. " && touch " .. rd .. "/x"):close())
show(os.remove(rd))
show(os.remove(rd .. "/x"), os.remove(rd))
show(os.remove(rd))
print(pcall(os.remove))
print(pcall(os.rename, "x"))
