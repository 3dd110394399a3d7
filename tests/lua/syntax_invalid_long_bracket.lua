-- A long bracket with a bad level marker.
local s = [=x]=]
