-- Lists leases whose deadline has passed (by Redis server time), oldest first.
--
-- KEYS: 1 leases. ARGV: 1 most ids to return. Returns task ids.
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. fmt(now_ms()), 'LIMIT', 0, tonumber(ARGV[1]))
