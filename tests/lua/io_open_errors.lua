-- io.open failures: missing files return nil, message, errno; bad modes raise.
print(io.open("io_open_errors.missing"))
print(io.open("io_open_errors.missing", "r+"))
print(io.open("no_such_dir/x.txt", "w"))
for _, m in ipairs{"", "x", "rw", "rb+", "r++", "+r", "wx"} do
  print(m, pcall(io.open, "io_open_errors.lua", m))
end
print(pcall(io.open))
print(pcall(io.open, {}))
print(pcall(io.open, "io_open_errors.lua", {}))
local f = io.open(".")
print(io.type(f), f:read("a"))
f:close()
print(io.open(".", "w"))
