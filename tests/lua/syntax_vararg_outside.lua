-- A vararg used outside a vararg function.
local function f() return ... end
