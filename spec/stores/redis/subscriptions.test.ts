/**
 * The shared pub/sub connection (`Subscriptions`) across a Redis crash, on a real redis-server: a
 * pattern whose PSUBSCRIBE was lost with the connection is confirmed by the resubscription that
 * follows the reconnection, instead of failing when the lost command times out.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RedisConnection } from '../../../src/stores/redis/index.js';
import { describeWithRedis, RedisServer } from '../../support/redisServer.js';
import { freshPrefix, inspector, warnings } from './helpers.js';

describeWithRedis('Subscriptions across a Redis crash', () => {
  it('a PSUBSCRIBE lost with the connection is confirmed by the resubscription after the reconnection', { timeout: 30_000 }, async (t) => {
    const redis = await RedisServer.start();
    t.after(() => redis.stop());
    const connection = new RedisConnection(redis.url, { keyPrefix: freshPrefix('lost-psubscribe'), onWarning: warnings().onWarning });
    t.after(() => connection.close());
    const subscriptions = connection.subscriptions;
    await subscriptions.listenPattern('warm:*', () => undefined); // the pub/sub connection is ready
    // Redis stops answering: the next PSUBSCRIBE goes out and gets no reply ...
    process.kill(redis.pid!, 'SIGSTOP');
    let received!: (message: string) => void;
    const first = new Promise<string>((resolve) => (received = resolve));
    const listening = subscriptions.listenPattern('late:*', (_channel, message) => received(message));
    // ... and is lost with the connection when Redis dies; it is not sent again.
    await redis.kill();
    await redis.restart();
    await listening; // before the fix: rejected with "Command timed out" 5 s later
    assert.notEqual(subscriptions.continuity('late:*'), undefined, 'subscribed, with a span of continuity');
    const publisher = await inspector(redis.url);
    try {
      await publisher.publish('late:x', 'after the crash');
      assert.equal(await first, 'after the crash');
    } finally {
      publisher.disconnect();
    }
  });
});
