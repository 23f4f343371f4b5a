-- Appends a message to a task's queue if it holds fewer than the bound (check and push in one
-- step), gives the queue the task's expiry (so all of a task's keys expire together; a queue whose
-- task is unknown gets a fallback expiry instead), and publishes a wake-up.
--
-- KEYS: 1 queue, 2 task hash. ARGV: 1 message JSON, 2 bound, 3 fallback expiry ms, 4 channel.
-- Returns the new length, or -1 when the queue is full (nothing stored).
local n = redis.call('LLEN', KEYS[1])
if n >= tonumber(ARGV[2]) then return -1 end
redis.call('RPUSH', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local exp = redis.call('HGET', KEYS[2], 'exp')
  if exp and exp ~= '' then redis.call('PEXPIREAT', KEYS[1], exp) else redis.call('PERSIST', KEYS[1]) end
else
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
redis.call('PUBLISH', ARGV[4], '1')
return n + 1
