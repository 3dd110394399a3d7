-- Equality of different types is false without error; tables and functions by identity.
local t1, t2 = {}, {}
local f1 = function() end
local f2 = function() end
print(t1 == t1, t1 == t2, t1 ~= t2, f1 == f1, f1 == f2)
print(nil == false, 0 == false, "" == false, nil == nil, true == true)
print(print == print, type == print, rawequal(t1, t1), rawequal(t1, t2))
print(rawequal(1, 1.0), rawequal("a", "a"), rawequal(nil, false))
local a = "he" .. "llo"
print(a == "hello", rawequal(a, "hello"))
