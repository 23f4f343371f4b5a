-- Takes the lease on a live, non-terminal task for a holder: records the holder in the task hash
-- and the deadline (server time + lease) in the lease set (replacing a provisional lease).
--
-- KEYS: 1 task hash, 2 leases. ARGV: 1 task id, 2 holder, 3 lease ms.
-- Returns 1, or 0 when the task is gone or already terminal (nothing to lease).
local status = redis.call('HGET', KEYS[1], 'status')
if not status or is_terminal(status) then return 0 end
redis.call('HSET', KEYS[1], 'holder', ARGV[2])
redis.call('ZADD', KEYS[2], fmt(now_ms() + tonumber(ARGV[3])), ARGV[1])
return 1
