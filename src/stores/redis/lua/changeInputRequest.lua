-- Adds or removes a pending input request of a task, with the status change it implies, in one
-- step: adding makes the task input_required; removing the last one of an input_required task
-- makes it working again. Requests are task hash fields 'in:<key>' (so they share the task's
-- expiry and deletion); 'inputs' counts them. Bumps the version, moves lastUpdatedAt forward and
-- publishes the new state, like every change.
--
-- KEYS: 1 task hash.
-- ARGV: 1 owner, 2 'add' | 'remove', 3 key, 4 request JSON (add), 5 most pending (add),
--       6 event channel.
-- Returns {'ok', status changed 0|1, <task fields>}, {'notfound'}, {'terminal', <status>},
-- {'full'} (add) or {'absent'} (remove: the key is not pending).
local cur = redis.call('HMGET', KEYS[1], 'owner', 'status', 'updated', 'inputs')
if not cur[1] or cur[1] ~= ARGV[1] then return {'notfound'} end
if is_terminal(cur[2]) then
  if ARGV[2] == 'remove' then return {'absent'} end
  return {'terminal', cur[2]}
end
local field = 'in:' .. ARGV[3]
local count = tonumber(cur[4] or '0')
local status = cur[2]
if ARGV[2] == 'add' then
  if redis.call('HEXISTS', KEYS[1], field) == 0 then
    if count >= tonumber(ARGV[5]) then return {'full'} end
    count = count + 1
  end
  redis.call('HSET', KEYS[1], field, ARGV[4], 'inputs', count)
  status = 'input_required'
else
  if redis.call('HDEL', KEYS[1], field) == 0 then return {'absent'} end
  count = count - 1
  redis.call('HSET', KEYS[1], 'inputs', count)
  if count == 0 and status == 'input_required' then status = 'working' end
end
local changed = 0
if status ~= cur[2] then changed = 1 end
local updated = math.max(now_ms(), tonumber(cur[3]) + 1)
redis.call('HSET', KEYS[1], 'status', status, 'updated', fmt(updated))
redis.call('HINCRBY', KEYS[1], 'ver', 1)
local task = read_task(KEYS[1])
redis.call('PUBLISH', ARGV[6], cjson.encode(task))
return {'ok', changed, unpack(task)}
