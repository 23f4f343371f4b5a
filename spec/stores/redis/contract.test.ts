/** The unchanged contract kit run against the Redis store, queue and response channel on a real redis-server. */
import { after } from 'node:test';
import { describeTaskMessageQueueContract, describeTaskResponseChannelContract, describeTaskStoreContract } from '../../../src/testing/index.js';
import { RedisTaskMessageQueue, RedisTaskResponseChannel, RedisTaskStore } from '../../../src/stores/redis/index.js';
import { describeWithRedis, RedisServer } from '../../support/redisServer.js';

/** Fewer randomized interleavings than the in-memory default: each costs a few Redis round trips. */
const contract = { interleavings: 300, concurrency: 25, shortTtlMs: 800 };

let server: Promise<RedisServer> | undefined;
const redis = async (): Promise<string> => (await (server ??= RedisServer.start())).url;
let prefixes = 0;
/** Each store, queue and channel gets a fresh key prefix: it starts empty, as the kit requires. */
const fresh = () => ({ keyPrefix: `contract-${process.pid}-${++prefixes}`, onWarning: () => undefined });

describeWithRedis('Redis backend contract', () => {
  after(async () => {
    if (server !== undefined) await (await server).stop();
  });
  describeTaskStoreContract('RedisTaskStore', async (options) => new RedisTaskStore(await redis(), { ...options, ...fresh() }), contract);
  describeTaskMessageQueueContract('RedisTaskMessageQueue', async (options) => new RedisTaskMessageQueue(await redis(), { ...options, ...fresh() }), contract);
  describeTaskResponseChannelContract('RedisTaskResponseChannel', async () => new RedisTaskResponseChannel(await redis(), fresh()), contract);
});
