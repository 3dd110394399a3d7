-- Nested tables, chained indexing and assignment through fields.
local db = {users = {}}
db.users[1] = {name = "ann", tags = {"a", "b"}}
db.users[2] = {name = "bob", tags = {}}
db.users[1].tags[3] = "c"
print(db.users[1].name, #db.users[1].tags, db.users[1].tags[3], #db.users[2].tags)
local grid = {}
for y = 1, 3 do
  grid[y] = {}
  for x = 1, 3 do grid[y][x] = y * 10 + x end
end
print(grid[2][3], grid[3][1])
local s = 0
for y = 1, 3 do for x = 1, 3 do s = s + grid[y][x] end end
print(s)
local m = {a = {b = {c = {d = "deep"}}}}
print(m.a.b.c.d, m["a"]["b"].c["d"])
