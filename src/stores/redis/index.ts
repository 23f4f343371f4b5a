/**
 * The Redis backend (`mcp-tasks/redis`): `RedisTaskStore`, `RedisTaskMessageQueue`,
 * `RedisTaskResponseChannel`, `RedisTaskLeases`, and `createRedisBackend` to build all four on
 * shared connections. See docs/redis.md for deployment, guarantees and the key layout.
 */
export { createRedisBackend, leaseOptionsFromEnv, type RedisBackend, type RedisBackendOptions } from './backend.js';
export { RedisConnection, COMMAND_CLIENT_OPTIONS, type RedisClusterNodes, type RedisConnectionOptions, type RedisTarget } from './connection.js';
export { RedisBackendError } from './errors.js';
export { DEFAULT_KEY_PREFIX, RedisKeys } from './keys.js';
export type { RedisClient } from './luaScript.js';
export {
  DEFAULT_LEASE_CHECK_INTERVAL,
  DEFAULT_LEASE_MS,
  ORPHANED_TASK_MESSAGE,
  RedisTaskLeases,
  type RedisTaskLeasesOptions,
} from './leases.js';
export { DEFAULT_ORPHAN_QUEUE_TTL, RedisTaskMessageQueue, type RedisTaskMessageQueueOptions } from './messageQueue.js';
export { DEFAULT_RESPONSE_TTL, RedisTaskResponseChannel, type RedisTaskResponseChannelOptions } from './responseChannel.js';
export { RedisTaskStore, type RedisTaskStoreOptions } from './taskStore.js';
