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
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
local now = now_ms()
local id = ARGV[7]
local batch = tonumber(ARGV[6])
local expired = '(' .. fmt(now)
-- Forget up to a batch of expired entries per index (so the script's work stays bounded) ...
local stale = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', expired, 'LIMIT', 0, batch)
for _, old in ipairs(stale) do
  redis.call('ZREM', KEYS[4], old)
  redis.call('ZREM', KEYS[5], old)
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
redis.call('DEL', KEYS[8])
if exp ~= '' then redis.call('PEXPIREAT', KEYS[1], exp) end
redis.call('ZADD', KEYS[2], score, id)
local function index(key, member_score)
  local existed = redis.call('EXISTS', key)
  redis.call('ZADD', key, member_score, id)
  if exp == '' then
    redis.call('PERSIST', key)
  elseif existed == 0 then
    redis.call('PEXPIREAT', key, exp)
  else
    local left = redis.call('PTTL', key)
    if left >= 0 and now + left < tonumber(exp) then redis.call('PEXPIREAT', key, exp) end
  end
end
index(KEYS[4], seq)
index(KEYS[5], score)
index(KEYS[6], score)
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[7], fmt(now + tonumber(ARGV[8])), id) end
return {'ok', unpack(read_task(KEYS[1]))}
