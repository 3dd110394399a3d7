-- long brackets: levels, first newline skipped, nested closers, comments
local a = [[
first line skipped]]
print(a, #a)
local b = [==[
contains ]] and ]=] but not the closer]==]
print(b)
local c = [[]]
print(#c, c == "")
local d = [=[
]=]
print(#d)
local e = [[

two newlines]]
print(#e, e:byte(1))
local f = [[a\nb\t\0]]
print(f, #f)
--[[ a long comment
spanning lines ]] print("after long comment")
--[==[ comment with ]] inside ]==] print("after leveled comment")
---[[ not a long comment (line comment)
print("line comment trick")
--]]
--[=[]=]print("empty long comment")
-- [[ just a line comment
print([[x]] .. [=[y]=] .. [==[z]==])
local g = [[
]]
print(#g)
local nested = [==[ [[ inner ]] [=[ inner2 ]=] ]==]
print(nested)
print(#[[
	tab]], [[\]])
-- long strings can hold any bytes
local h = "[[" .. "]]"
print(h, load("return [==[" .. h .. "]==]")())
print(load("return [[\r\nx]]")() == "x", load("return [[\n\rx]]")() == "x")
print(load("return [[a\r\nb]]")() == "a\nb", load("return [[a\n\rb]]")() == "a\nb", #load("return [[a\r\rb]]")())
-- comment at the very end without newline
print(load("return 1 --[[ c ]]")(), load("return 2 -- c")(), load("return 3 --[==[\n]==]")())
print(load("return [=[x]]")) -- unfinished
print(load("--[[ x"))
print(load("x = [==[ ]=]"))
