-- Helpers prepended to every script of the Redis backend. All times are Redis server time in
-- epoch milliseconds, read with TIME inside the script, so every process agrees with Redis's own
-- key expiry whatever its local clock says.

-- The task hash fields a script returns and publishes, in this order (codec.ts reads them so).
local TASK_FIELDS = {'status', 'msg', 'created', 'updated', 'ttl', 'poll', 'ver', 'owner', 'exp'}

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function fmt(n)
  return string.format('%.0f', n)
end

local function is_terminal(s)
  return s == 'completed' or s == 'failed' or s == 'cancelled'
end

local function read_task(key)
  return redis.call('HMGET', key, unpack(TASK_FIELDS))
end

-- Removes the pending input requests of a task (fields 'in:<key>', counted by 'inputs').
local function drop_input_requests(key)
  local count = tonumber(redis.call('HGET', key, 'inputs') or '0')
  if count == 0 then return end
  local all = redis.call('HKEYS', key)
  for i = 1, #all do
    if string.sub(all[i], 1, 3) == 'in:' then redis.call('HDEL', key, all[i]) end
  end
  redis.call('HDEL', key, 'inputs')
end

-- Adds task `id` to index keys that always exist and expire together (the first is asked, the
-- scores are in the same order), and makes their life cover the task's (expiry `exp`, '' = none:
-- for good).
local function index(keys, scores, id, now, exp)
  local left = redis.call('PTTL', keys[1])
  for i = 1, #keys do redis.call('ZADD', keys[i], scores[i], id) end
  if exp == '' then
    if left ~= -1 then
      for i = 1, #keys do redis.call('PERSIST', keys[i]) end
    end
  elseif left == -2 or (left >= 0 and now + left < tonumber(exp)) then
    for i = 1, #keys do redis.call('PEXPIREAT', keys[i], exp) end
  end
end

-- Admits task `id` to its owner's indexes (sequence counter, list, expiry, active): prunes a
-- bounded batch of their expired entries, enforces the owner's active limit (counting live entries
-- only), takes the next creation sequence number and adds the task (score = its expiry, `+inf`
-- for none). Returns the sequence number, or nil when the owner is at its limit.
local function admit(seq_key, list, expiry, active, id, now, exp, batch, max_active)
  local expired = '(' .. fmt(now)
  local stale = redis.call('ZRANGEBYSCORE', expiry, '-inf', expired, 'LIMIT', 0, batch)
  if #stale > 0 then
    redis.call('ZREM', list, unpack(stale))
    redis.call('ZREM', expiry, unpack(stale))
  end
  local gone = redis.call('ZRANGEBYSCORE', active, '-inf', expired, 'LIMIT', 0, batch)
  if #gone > 0 then redis.call('ZREM', active, unpack(gone)) end
  if redis.call('ZCOUNT', active, fmt(now), '+inf') >= max_active then return nil end
  local seq = redis.call('INCR', seq_key)
  local score = exp
  if exp == '' then score = '+inf' end
  index({list, expiry}, {seq, score}, id, now, exp)
  index({active}, {score}, id, now, exp)
  return seq
end

-- Reserves a place for task `id` in the deployment's live-task set (score = its expiry, `+inf` for
-- none) after pruning a bounded batch of expired entries; false when `max_tasks` live tasks are
-- there already.
local function reserve(live, id, now, exp, batch, max_tasks)
  local gone = redis.call('ZRANGEBYSCORE', live, '-inf', '(' .. fmt(now), 'LIMIT', 0, batch)
  if #gone > 0 then redis.call('ZREM', live, unpack(gone)) end
  if redis.call('ZCOUNT', live, fmt(now), '+inf') >= max_tasks then return false end
  local score = exp
  if exp == '' then score = '+inf' end
  redis.call('ZADD', live, score, id)
  return true
end

-- The expiry (epoch ms, '' = none) of a task created now with `ttl` ms ('' = unlimited).
local function expiry_of(now, ttl)
  if ttl == '' then return '' end
  return fmt(now + tonumber(ttl))
end
