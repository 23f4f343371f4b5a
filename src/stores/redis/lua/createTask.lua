-- Creates a task atomically: writes the task hash with its expiry (PEXPIREAT created + ttl),
-- clears a queue left for its id and, with leases, covers it with a lease: the creating process's
-- own when it names itself as the holder (it runs the task), else a provisional one until the
-- process that runs it takes the lease (a task whose creator dies before that is failed by the
-- orphan check instead of staying working).
-- On one slot (KEYS 4–8 given) it also admits the task: prunes a bounded batch of expired
-- entries of the live-task set, enforces maxTasks (counting live entries only) and adds it there,
-- then admits it to its owner's indexes (`admit`: maxActiveTasksPerScope, sequence number,
-- listing). Sharded, reserveTask and admitTask did that before on their own slots, and ARGV 10
-- is the sequence number admitTask gave.
--
-- KEYS: 1 task hash, 2 task queue, 3 leases, [4 live tasks, 5 sequence, 6 scope list,
--       7 scope expiry, 8 scope active].
-- ARGV: 1 owner, 2 ttl ms ('' = unlimited), 3 pollInterval, 4 maxTasks, 5 maxActiveTasksPerScope,
--       6 prune batch size, 7 task id, 8 lease ms ('' = no leases), 9 lease holder
--       ('' = provisional), 10 sequence number ('' = admit here).
-- Returns {'ok', <task fields>}, {'exists'} (id taken) or {'limit', <limit name>}.
-- One EXISTS for both: a task id in use, or a queue left for an id that had no task yet.
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then
  if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
  redis.call('DEL', KEYS[2])
end
local now = now_ms()
local id = ARGV[7]
local ttl = ARGV[2]
local exp = expiry_of(now, ttl)
local seq = ARGV[10]
if seq == '' then
  if not reserve(KEYS[4], id, now, exp, tonumber(ARGV[6]), tonumber(ARGV[4])) then return {'limit', 'maxTasks'} end
  seq = admit(KEYS[5], KEYS[6], KEYS[7], KEYS[8], id, now, exp, tonumber(ARGV[6]), tonumber(ARGV[5]))
  if not seq then
    redis.call('ZREM', KEYS[4], id)
    return {'limit', 'maxActiveTasksPerScope'}
  end
end
local nows = fmt(now)
local fields = {'status', 'working', 'created', nows, 'updated', nows, 'ttl', ttl, 'exp', exp,
  'poll', ARGV[3], 'ver', '1', 'owner', ARGV[1], 'seq', seq}
if ARGV[9] ~= '' then
  fields[#fields + 1] = 'holder'
  fields[#fields + 1] = ARGV[9]
end
redis.call('HSET', KEYS[1], unpack(fields))
if exp ~= '' then redis.call('PEXPIREAT', KEYS[1], exp) end
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[3], fmt(now + tonumber(ARGV[8])), id) end
-- The new task's fields, in TASK_FIELDS order (no status message yet).
return {'ok', 'working', false, nows, nows, ttl, ARGV[3], '1', ARGV[1], exp}
