-- Keeps a side-channel answer for a bounded time (so a waiter that starts late still gets it) and
-- publishes it to whoever waits now, in any process.
--
-- KEYS: 1 response key. ARGV: 1 answer JSON, 2 keep ms, 3 channel.
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[1])
return 1
