-- varargs in table constructors: only the last position expands
local function pack(...) return {...} end
local function mid(...) return {..., "end"} end
local function tail(...) return {"start", ...} end
local function par(...) return {"start", (...)} end
local function cnt(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local t = pack(1, nil, 3)
print(#t >= 0, t[1], t[2], t[3], select("#", 1, nil, 3))
t = mid(1, 2, 3)
print(t[1], t[2], t[3], cnt(t))
t = mid()
print(t[1], t[2], cnt(t))
t = tail(1, 2, 3)
print(t[1], t[2], t[3], t[4], cnt(t))
t = tail()
print(t[1], t[2], cnt(t))
t = par(7, 8, 9)
print(t[1], t[2], t[3], cnt(t))
-- calls in constructors: middle truncates, last expands, parentheses truncate
local function three() return "a", "b", "c" end
local function none() end
t = {three(), three()}
print(#t, table.concat(t, ""))
t = {three(), (three())}
print(#t, table.concat(t, ""))
t = {none(), none()}
print(cnt(t), t[1], t[2])
t = {none(), 1}
print(cnt(t), t[1], t[2])
t = {three(), x = 1, three()}
print(#t, table.concat(t, ""), t.x)
t = {three(); three();}
print(#t, table.concat(t, ""))
t = {[1] = "explicit", three()}
print(t[1], t[2], t[3])
-- varargs with nils in the middle and at the end
local function nils(...) return select("#", ...), {...} end
local n, tt = nils(nil, nil)
print(n, tt[1], tt[2])
n, tt = nils(1, nil, nil, 4)
print(n, tt[1], tt[4])
-- table.pack vs {...}
local function p2(...) local a = table.pack(...) return a.n, #{...} >= 0 end
print(p2(nil, nil, nil))
-- select with negative indexes on varargs
local function last(...) return select(-1, ...) end
print(last(1, 2, 3), pcall(select, -4, 1, 2, 3))
-- ... in the middle of a call argument list
local function args(...) return select("#", ...) end
local function fwd(...) return args(..., ...), args(..., 0), args(0, ...) end
print(fwd(1, 2, 3))
print(fwd())
