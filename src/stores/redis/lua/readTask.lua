-- Reads a task in one step: its fields, its remaining life (PTTL, -1 for none) and, on request,
-- its stored outcome.
--
-- KEYS: 1 task hash. ARGV: 1 '1' to include the outcome.
-- Returns {'none'} or {'ok', pttl, outcome JSON | nil, <task fields>}.
local task
local outcome = false
if ARGV[1] == '1' then
  task = redis.call('HMGET', KEYS[1], 'status', 'msg', 'created', 'updated', 'ttl', 'poll', 'ver', 'owner', 'exp', 'outcome')
  outcome = task[10]
  task[10] = nil
else
  task = read_task(KEYS[1])
end
if not task[1] then return {'none'} end
return {'ok', redis.call('PTTL', KEYS[1]), outcome, unpack(task)}
