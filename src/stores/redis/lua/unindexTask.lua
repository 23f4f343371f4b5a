-- Takes tasks out of their owner's indexes in one step (a deleted task, a creation that failed,
-- or entries of tasks that are gone).
--
-- KEYS: the owner's index keys (any of list, expiry, active). ARGV: the task ids.
for i = 1, #KEYS do redis.call('ZREM', KEYS[i], unpack(ARGV)) end
return 1
