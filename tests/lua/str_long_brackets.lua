-- Long strings at several levels; a first newline is skipped; no escapes inside.
local a = [[hello]]
local b = [[
first newline skipped]]
local c = [==[contains ]] and ]=] inside]==]
local d = [=[
\n is not an escape, "quotes" 'too']=]
print(a)
print(b)
print(c)
print(d)
print(#[[

]], [[a
b]])
--[==[ a long comment
with ]] inside ]==] print("after long comment")
--[[ plain long comment ]] print("after second")
