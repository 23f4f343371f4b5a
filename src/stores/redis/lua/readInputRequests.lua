-- Reads the pending input requests of an input_required task.
--
-- KEYS: 1 task hash. ARGV: 1 owner.
-- Returns {'notfound'} or {'ok', key 1, request JSON 1, key 2, ...} (none unless input_required).
local cur = redis.call('HMGET', KEYS[1], 'owner', 'status', 'inputs')
if not cur[1] or cur[1] ~= ARGV[1] then return {'notfound'} end
local reply = {'ok'}
if cur[2] ~= 'input_required' or tonumber(cur[3] or '0') == 0 then return reply end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 3) == 'in:' then
    reply[#reply + 1] = string.sub(all[i], 4)
    reply[#reply + 1] = all[i + 1]
  end
end
return reply
