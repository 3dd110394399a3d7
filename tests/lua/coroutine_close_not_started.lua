-- Closing a coroutine that never ran: true, and it is dead.
local ran = false
local co = coroutine.create(function() ran = true end)
print(coroutine.close(co))
print(coroutine.status(co), ran)
print(coroutine.resume(co))
local finished = coroutine.create(function() return 1 end)
coroutine.resume(finished)
print(coroutine.close(finished), coroutine.status(finished))
