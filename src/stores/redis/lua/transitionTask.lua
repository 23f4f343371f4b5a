-- Every change of an existing task, atomically: status and/or status message, optionally the
-- outcome together with the final status (result + final status + message in one step), and
-- cancellation. Enforces the owner check and terminal immutability (so cancelled wins over a later
-- completion), moves lastUpdatedAt strictly forward, bumps the version, drops the task from the
-- scope's active set and from the lease set when it becomes terminal (with its pending input
-- requests), and publishes the new state
-- on the task's event channel.
--
-- In orphan mode (ARGV 8 = '1') the change only happens while the task's lease has expired, so a
-- renewal that lands first wins; a terminal task then just loses its stale lease entry.
--
-- KEYS: 1 task hash, 2 leases, [3 scope active: when the owner's indexes share this slot; else
--       the caller takes a task that became terminal out of the active set itself].
-- ARGV: 1 owner, 2 new status ('' = keep), 3 '1' to set the message, 4 message, 5 outcome JSON
--       ('' = none), 6 event channel, 7 task id, 8 orphan mode '0' | '1'.
-- Returns {'ok', <task fields>}, {'notfound'}, {'terminal', <status>} or {'leased'}.
-- The task's fields (TASK_FIELDS order), then how many input requests are pending.
local cur = redis.call('HMGET', KEYS[1], 'status', 'msg', 'created', 'updated', 'ttl', 'poll', 'ver', 'owner', 'exp', 'inputs')
if not cur[8] or cur[8] ~= ARGV[1] then return {'notfound'} end
local now = now_ms()
if ARGV[8] == '1' then
  local deadline = redis.call('ZSCORE', KEYS[2], ARGV[7])
  if not deadline or tonumber(deadline) >= now then return {'leased'} end
end
if is_terminal(cur[1]) then
  if ARGV[8] == '1' then redis.call('ZREM', KEYS[2], ARGV[7]) end
  return {'terminal', cur[1]}
end
local status = cur[1]
if ARGV[2] ~= '' then status = ARGV[2] end
local updated = fmt(math.max(now, tonumber(cur[4]) + 1))
local version = tostring(tonumber(cur[7]) + 1)
local change = {'status', status, 'updated', updated, 'ver', version}
local msg = cur[2]
if ARGV[3] == '1' then
  msg = ARGV[4]
  change[#change + 1] = 'msg'
  change[#change + 1] = msg
end
if ARGV[5] ~= '' then
  change[#change + 1] = 'outcome'
  change[#change + 1] = ARGV[5]
end
redis.call('HSET', KEYS[1], unpack(change))
if is_terminal(status) then
  redis.call('ZREM', KEYS[2], ARGV[7])
  if KEYS[3] then redis.call('ZREM', KEYS[3], ARGV[7]) end
  if tonumber(cur[10] or '0') > 0 then drop_input_requests(KEYS[1]) end
  redis.call('HDEL', KEYS[1], 'holder')
end
local task = {status, msg, cur[3], updated, cur[5], cur[6], version, cur[8], cur[9]}
redis.call('PUBLISH', ARGV[6], cjson.encode(task))
return {'ok', unpack(task)}
