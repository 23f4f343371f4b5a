/**
 * `createRedisBackend`: the Redis store, queue, response channel and leases of one deployment,
 * sharing one command connection and one pub/sub connection. This is what `TaskSupport.redis()`
 * and the reference server's `--redis URL` use.
 */
import type { TaskStoreOptions } from '../../core/taskStore.js';
import { RedisConnection, type RedisConnectionOptions, type RedisTarget } from './connection.js';
import { RedisTaskLeases, type RedisTaskLeasesOptions } from './leases.js';
import { RedisTaskMessageQueue, type RedisTaskMessageQueueOptions } from './messageQueue.js';
import { RedisTaskResponseChannel, type RedisTaskResponseChannelOptions } from './responseChannel.js';
import { RedisTaskStore } from './taskStore.js';

/** Options of {@link createRedisBackend}. */
export interface RedisBackendOptions extends RedisConnectionOptions {
  /** Store options: TTL policy, limits, page size, default poll interval. */
  store?: TaskStoreOptions;
  /** Queue options: per-task bound, expiry of orphan queues. */
  queue?: Omit<RedisTaskMessageQueueOptions, keyof RedisConnectionOptions>;
  /** Response channel options: how long answers are kept. */
  responses?: Omit<RedisTaskResponseChannelOptions, keyof RedisConnectionOptions>;
  /** Lease options: duration, renewal, orphan check interval. */
  leases?: Omit<RedisTaskLeasesOptions, keyof RedisConnectionOptions>;
  /** Check Redis's `maxmemory-policy` at start-up and warn unless it is `noeviction`. Default true. */
  checkEvictionPolicy?: boolean;
}

/** Everything a `TaskSupport` needs from Redis. */
export interface RedisBackend {
  readonly store: RedisTaskStore;
  readonly queue: RedisTaskMessageQueue;
  readonly responseChannel: RedisTaskResponseChannel;
  readonly leases: RedisTaskLeases;
  /** The shared connection. */
  readonly connection: RedisConnection;
  /** Resolves with Redis's `maxmemory-policy` once checked (`undefined` if unknown or not checked). */
  readonly evictionPolicy: Promise<string | undefined>;
  /**
   * Closes all four and the connections this backend opened. Idempotent. Closing the four parts
   * one by one (as `TaskSupport.close()` does) also closes the connections once the last is closed.
   */
  close(): Promise<void>;
}

/**
 * Lease timings from the environment (`MCP_TASKS_REDIS_LEASE_MS`,
 * `MCP_TASKS_REDIS_LEASE_CHECK_INTERVAL_MS`), for deployments that cannot pass options (the
 * reference server). Options given in code win. A value that is not a non-negative integer is
 * ignored with a warning.
 */
export function leaseOptionsFromEnv(env: NodeJS.ProcessEnv, warn: (message: string) => void): { leaseMs?: number; checkIntervalMs?: number } {
  const read = (name: string): number | undefined => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (Number.isSafeInteger(value) && value >= 0) return value;
    warn(`mcp-tasks: ignoring ${name}=${JSON.stringify(text)}: not a non-negative integer number of ms`);
    return undefined;
  };
  const leaseMs = read('MCP_TASKS_REDIS_LEASE_MS');
  const checkIntervalMs = read('MCP_TASKS_REDIS_LEASE_CHECK_INTERVAL_MS');
  return { ...(leaseMs === undefined ? {} : { leaseMs }), ...(checkIntervalMs === undefined ? {} : { checkIntervalMs }) };
}

/**
 * Builds the Redis backend. `redis` is a Redis URL or `{ cluster: [{ host, port }, …] }` (the
 * connections are opened here and closed by `close()`), or an ioredis `Redis` / `Cluster` client
 * (used as is and left open; only the pub/sub connection duplicated from it is closed).
 */
export function createRedisBackend(redis: RedisTarget, options: RedisBackendOptions = {}): RedisBackend {
  const connection = new RedisConnection(redis, options);
  const leases = new RedisTaskLeases(connection, { ...leaseOptionsFromEnv(process.env, connection.warn), ...options.leases });
  const queue = new RedisTaskMessageQueue(connection, options.queue);
  // A new task is leased to this process by its creation: the runtime runs it here (see docs/redis.md).
  const store = new RedisTaskStore(connection, { ...options.store, leases, queue });
  const responseChannel = new RedisTaskResponseChannel(connection, options.responses);
  connection.closeWhenUnused();
  const evictionPolicy = options.checkEvictionPolicy === false ? Promise.resolve(undefined) : connection.checkEvictionPolicy();
  const layoutChecked = connection.checkLayout();
  let closing: Promise<void> | undefined;
  return {
    store,
    queue,
    responseChannel,
    leases,
    connection,
    evictionPolicy,
    close: () =>
      (closing ??= (async () => {
        await Promise.all([evictionPolicy, layoutChecked]);
        await leases.close();
        await Promise.all([store.close(), queue.close(), responseChannel.close()]);
        await connection.close();
      })()),
  };
}
