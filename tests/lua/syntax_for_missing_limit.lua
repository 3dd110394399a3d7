-- A numeric for with a missing limit.
for i = 1 do end
