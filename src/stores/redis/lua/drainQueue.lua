-- Removes and returns every message of a task's queue, oldest first, in one step.
--
-- KEYS: 1 queue. Returns the list of message JSON strings.
local all = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return all
