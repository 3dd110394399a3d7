-- warn: off by default, "@on"/"@off" switch it, pieces are concatenated, numbers convert,
-- unknown control messages are ignored. Warnings go to stderr as "Lua warning: ...".
warn("not shown: warnings start off")
print("before")
warn("@bogus")
warn("@on")
warn("first ", "warning ", 42)
print("between")
warn("second")
warn("@off")
warn("not shown either")
print("after")
