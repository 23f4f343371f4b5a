-- Renews a holder's leases in one step: every listed task still leased by the holder gets a new
-- deadline; the others are returned as lost (finished, expired, or declared orphaned).
--
-- KEYS: 1 leases, 2..n task hashes. ARGV: 1 holder, 2 lease ms, 3..n+1 task ids (same order).
-- Returns the ids of the leases that were lost.
local deadline = fmt(now_ms() + tonumber(ARGV[2]))
local lost = {}
for i = 2, #KEYS do
  local id = ARGV[i + 1]
  if redis.call('HGET', KEYS[i], 'holder') == ARGV[1] and redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
