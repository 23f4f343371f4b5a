-- Creates a task atomically: prunes a bounded batch of expired index entries, enforces maxTasks
-- and maxActiveTasksPerScope (counting live entries only), takes the next creation sequence
-- number, writes the task hash with its expiry (PEXPIREAT created + ttl), adds it to the indexes
-- (whose own expiry is extended to cover it) and, with leases, covers it with a lease: the
-- creating process's own when it names itself as the holder (it runs the task), else a provisional
-- one until the process that runs it takes the lease (a task whose creator dies before that is
-- failed by the orphan check instead of staying working).
--
-- KEYS: 1 task hash, 2 all tasks, 3 sequence, 4 scope list, 5 scope expiry, 6 scope active, 7 leases,
--       8 the task's queue (cleared: a new task's queue is empty).
-- ARGV: 1 owner, 2 ttl ms ('' = unlimited), 3 pollInterval, 4 maxTasks, 5 maxActiveTasksPerScope,
--       6 prune batch size, 7 task id, 8 lease ms ('' = no leases), 9 lease holder ('' = provisional).
-- Returns {'ok', <task fields>}, {'exists'} (id taken) or {'limit', <limit name>}.
-- One EXISTS for both: a task id in use, or a queue left for an id that had no task yet.
local found = redis.call('EXISTS', KEYS[1], KEYS[8])
if found > 0 then
  if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
  redis.call('DEL', KEYS[8])
end
local now = now_ms()
local id = ARGV[7]
local batch = tonumber(ARGV[6])
local expired = '(' .. fmt(now)
-- Forget up to a batch of expired entries per index (so the script's work stays bounded) ...
local stale = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', expired, 'LIMIT', 0, batch)
if #stale > 0 then
  redis.call('ZREM', KEYS[4], unpack(stale))
  redis.call('ZREM', KEYS[5], unpack(stale))
end
for _, key in ipairs({KEYS[2], KEYS[6]}) do
  local gone = redis.call('ZRANGEBYSCORE', key, '-inf', expired, 'LIMIT', 0, batch)
  if #gone > 0 then redis.call('ZREM', key, unpack(gone)) end
end
-- ... and count only live ones (score = expiry >= now), whatever is left to prune.
if redis.call('ZCOUNT', KEYS[2], fmt(now), '+inf') >= tonumber(ARGV[4]) then return {'limit', 'maxTasks'} end
if redis.call('ZCOUNT', KEYS[6], fmt(now), '+inf') >= tonumber(ARGV[5]) then return {'limit', 'maxActiveTasksPerScope'} end
local seq = redis.call('INCR', KEYS[3])
local ttl = ARGV[2]
local exp = ''
local score = '+inf'
if ttl ~= '' then
  exp = fmt(now + tonumber(ttl))
  score = exp
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
redis.call('ZADD', KEYS[2], score, id)
-- Adds the task to index keys that always exist and expire together (the first is asked), and
-- makes their life cover the task's: for good when it has no expiry.
local function index(keys, scores)
  local left = redis.call('PTTL', keys[1])
  for i = 1, #keys do redis.call('ZADD', keys[i], scores[i], id) end
  if exp == '' then
    if left ~= -1 then
      for i = 1, #keys do redis.call('PERSIST', keys[i]) end
    end
    return
  end
  if left == -2 or (left >= 0 and now + left < tonumber(exp)) then
    for i = 1, #keys do redis.call('PEXPIREAT', keys[i], exp) end
  end
end
index({KEYS[4], KEYS[5]}, {seq, score})
index({KEYS[6]}, {score})
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[7], fmt(now + tonumber(ARGV[8])), id) end
-- The new task's fields, in TASK_FIELDS order (no status message yet).
return {'ok', 'working', false, nows, nows, ttl, ARGV[3], '1', ARGV[1], exp}
