-- A chunk may return values; the standalone interpreter ignores them and exits 0.
print("returning")
do return 1, 2, 3 end
print("not reached")
