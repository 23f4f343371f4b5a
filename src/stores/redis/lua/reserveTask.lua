-- Reserves a new task's place among the deployment's live tasks (maxTasks), on that set's own
-- slot, before createTask runs on the task's (the sharded layout; see `reserve` in the prelude).
-- A task whose creation then fails gives its place back (ZREM).
--
-- KEYS: 1 live tasks. ARGV: 1 task id, 2 ttl ms ('' = unlimited), 3 maxTasks, 4 prune batch size.
-- Returns 1, or 0 when the deployment holds maxTasks live tasks.
local now = now_ms()
if reserve(KEYS[1], ARGV[1], now, expiry_of(now, ARGV[2]), tonumber(ARGV[4]), tonumber(ARGV[3])) then return 1 end
return 0
