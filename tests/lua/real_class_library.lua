-- Class library on metatables: inheritance, super calls, properties, operators, mixins.
local function class(name, parent)
  local c = { __name = name }
  c.__index = c
  if parent then setmetatable(c, { __index = parent, __call = function(cls, ...) return cls.new(...) end })
  else setmetatable(c, { __call = function(cls, ...) return cls.new(...) end }) end
  c.super = parent
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  return c
end

local Shape = class("Shape")
function Shape:init(name) self.name = name; Shape.count = (Shape.count or 0) + 1 end
function Shape:area() return 0 end
function Shape:describe() return string.format("%s with area %.2f", self.name, self:area()) end
Shape.__tostring = function(s) return "Shape<" .. s.name .. ">" end
Shape.__lt = function(a, b) return a:area() < b:area() end
Shape.__le = function(a, b) return a:area() <= b:area() end
Shape.__eq = function(a, b) return a:area() == b:area() end

local Rect = class("Rect", Shape)
Rect.__tostring, Rect.__lt, Rect.__le, Rect.__eq = Shape.__tostring, Shape.__lt, Shape.__le, Shape.__eq
function Rect:init(w, h) Shape.init(self, "rect"); self.w, self.h = w, h end
function Rect:area() return self.w * self.h end
Rect.__add = function(a, b) return Rect(a.w + b.w, a.h + b.h) end

local Square = class("Square", Rect)
Square.__tostring, Square.__lt, Square.__le, Square.__eq, Square.__add = Rect.__tostring, Rect.__lt, Rect.__le, Rect.__eq, Rect.__add
function Square:init(s) Rect.init(self, s, s); self.name = "square" end

local Circle = class("Circle", Shape)
Circle.__tostring, Circle.__lt, Circle.__le, Circle.__eq = Shape.__tostring, Shape.__lt, Shape.__le, Shape.__eq
function Circle:init(r) self.super.init(self, "circle"); self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end

local shapes = { Rect(3, 4), Square(3), Circle(1), Rect(1, 9), Square(2), Circle(2) }
table.sort(shapes, function(a, b)
  if a == b then return a.name < b.name end
  return a < b
end)
for _, s in ipairs(shapes) do print(tostring(s), s:describe()) end
print("count", Shape.count)
print("eq", Rect(3, 3) == Square(3), Rect(1, 2) == Rect(2, 1), rawequal(Rect(1, 1), Rect(1, 1)))
print("le", Square(2) <= Rect(2, 2), Circle(1) < Square(2), Square(3) > Circle(1))
local sum = Rect(1, 2) + Square(3)
print("add", tostring(sum), sum.w, sum.h, getmetatable(sum) == Rect)
print("isa", getmetatable(Square(1)).super == Rect, Square.super.super == Shape)

-- Mixins and method lookup through __index functions.
local Comparable = { max = function(self, other) if self < other then return other end return self end }
local Logged = setmetatable({}, { __index = function(t, k)
  if k:sub(1, 4) == "log_" then
    return function(self, ...) return k:sub(5) .. "(" .. table.concat({...}, ",") .. ")" end
  end
end })
local Fancy = class("Fancy", Square)
for k, v in pairs(Comparable) do Fancy[k] = v end
Fancy.__lt, Fancy.__tostring = Shape.__lt, Shape.__tostring
local f1, f2 = Fancy(2), Fancy(5)
print("mixin", tostring(f1:max(f2)), f2:max(f1).w)
setmetatable(Fancy, { __index = function(t, k) return Square[k] or Logged[k] end, __call = getmetatable(Square).__call })
print("dynamic", f1:log_move(1, 2), f1:area(), Fancy.log_x(nil))

-- Errors from methods report names like lua5.4.
print(pcall(function() return f1:nonexistent() end))
print(pcall(function() local s = Shape("x"); return s.area.x end))
print(pcall(function() return Shape("a") + Shape("b") end))
print(select(2, pcall(error, setmetatable({}, { __tostring = function() return "custom" end }))) ~= nil)

-- Properties via __index/__newindex proxies.
local function readonly(t)
  return setmetatable({}, { __index = t, __newindex = function(_, k) error("attempt to modify field '" .. tostring(k) .. "'", 2) end,
    __len = function() return #t end, __pairs = function() return next, t, nil end })
end
local ro = readonly({ 10, 20, 30 })
print("ro", ro[2], #ro, pcall(function() ro[1] = 5 end))
local n = 0
for k, v in pairs(ro) do n = n + v end
print("pairs", n)
