-- Admits a new task to its owner's indexes, on the owner's slot, before createTask runs on the
-- task's (the sharded layout; see `admit` in the prelude). A task whose creation then fails is
-- taken out again with unindexTask.
--
-- KEYS: 1 sequence, 2 scope list, 3 scope expiry, 4 scope active.
-- ARGV: 1 task id, 2 ttl ms ('' = unlimited), 3 maxActiveTasksPerScope, 4 prune batch size.
-- Returns {'ok', <sequence number>} or {'limit', 'maxActiveTasksPerScope'}.
local now = now_ms()
local seq = admit(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[1], now, expiry_of(now, ARGV[2]), tonumber(ARGV[4]), tonumber(ARGV[3]))
if not seq then return {'limit', 'maxActiveTasksPerScope'} end
return {'ok', seq}
