-- The mode argument restricts text and binary chunks.
print(load("return 1", "=m", "t")())
print(load("return 1", "=m", "bt")())
print(load("return 1", "=m", "b"))
print(load("return 1", "=m", "x"))
print(load("return 1", "=m", ""))
print(load("\27 not really binary", "=m", "t"))
print(load(function() return nil end, "=m", "b"))
local f = load("return 2", nil, "t")
print(f())
-- a binary chunk that is not valid is rejected, never run
local g, msg = load("\27 garbage")
print(g, (msg:match("^[^(]*")))
