-- Upvalues survive their scope; nested closures see variables several levels up.
local function outer()
  local a = 1
  local function middle()
    local b = 2
    return function()
      a = a + 1; b = b + 1
      return a + b
    end
  end
  return middle(), function() return a end
end
local f, geta = outer()
print(f(), f(), geta())
local fns = {}
do
  local hidden = "kept"
  fns.read = function() return hidden end
end
print(fns.read())
