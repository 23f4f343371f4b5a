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
