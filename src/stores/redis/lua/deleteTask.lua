-- Deletes a task of the given owner with its queue and index entries, and publishes its end (an
-- empty message) so that waiters learn it is gone.
--
-- KEYS: 1 task hash, 2 queue, 3 leases, [4 live tasks, 5 scope list, 6 scope expiry, 7 scope
--       active: when they share this slot; else the caller takes the task out of them].
-- ARGV: 1 owner, 2 task id, 3 event channel.
-- Returns 1 if deleted, 0 if there was no such task for this owner.
local owner = redis.call('HGET', KEYS[1], 'owner')
if not owner or owner ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
for i = 3, #KEYS do redis.call('ZREM', KEYS[i], ARGV[2]) end
redis.call('PUBLISH', ARGV[3], '')
return 1
