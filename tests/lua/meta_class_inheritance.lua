-- Classes with single inheritance through __index chains, method calls, super calls.
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound)
  local self = setmetatable({}, Animal)
  self.name, self.sound = name, sound
  return self
end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:kind() return "animal" end

local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name)
  local self = Animal.new(name, "woof")
  return setmetatable(self, Dog)
end
function Dog:kind() return "dog, an " .. Animal.kind(self) end
function Dog:fetch() return self.name .. " fetches" end

local Puppy = setmetatable({}, {__index = Dog})
Puppy.__index = Puppy
function Puppy.new(name)
  local self = Dog.new(name)
  self.sound = "yip"
  return setmetatable(self, Puppy)
end

local a, d, p = Animal.new("cat", "meow"), Dog.new("rex"), Puppy.new("bit")
for _, x in ipairs({a, d, p}) do
  print(x:speak(), x:kind(), x.fetch and x:fetch() or "no fetch")
end
print(getmetatable(p) == Puppy, getmetatable(Puppy).__index == Dog)
print(rawget(p, "speak"), rawget(Puppy, "speak"), p.speak == Animal.speak)
-- instanceof by walking the chain
local function isa(obj, class)
  local mt = getmetatable(obj)
  while mt do
    if mt == class then return true end
    local up = getmetatable(mt)
    mt = up and up.__index
  end
  return false
end
print(isa(p, Dog), isa(p, Animal), isa(d, Puppy), isa(a, Dog))
