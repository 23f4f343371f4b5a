/**
 * Gives up a holder's lease on a task (a lease taken over by another holder is left alone).
 *
 * KEYS: 1 task hash, 2 leases. ARGV: 1 task id, 2 holder. Returns 1 if released, else 0.
 */
export const releaseLeaseLua = `
if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], 'holder')
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
`;
