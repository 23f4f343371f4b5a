/**
 * The task backend of the reference server: in-memory by default, Redis with `--redis URL`.
 * The Redis module is loaded only when asked for, so the in-memory server never loads ioredis.
 */
import type { TaskLeases } from '../../core/leases.js';
import type { TaskMessageQueue, TaskResponseChannel } from '../../core/messageQueue.js';
import type { TaskStore } from '../../core/taskStore.js';
import { TaskSupport } from '../../server/index.js';

/** What `createRedisBackend(url)` of `src/stores/redis` returns. */
export interface RedisBackendParts {
  store: TaskStore;
  queue: TaskMessageQueue;
  responseChannel: TaskResponseChannel;
  leases?: TaskLeases;
  /** The shared connection; its client is pinged at start-up when it has `ping()`. */
  connection?: { client?: { ping?: () => Promise<unknown> } };
  close(): Promise<void>;
}

/** How long start-up waits for Redis to answer a PING. */
export const REDIS_PING_TIMEOUT_MS = 10_000;

/** The shape of the Redis store module, as far as the reference server needs it. */
export interface RedisModule {
  createRedisBackend(redis: string | RedisClusterSeeds, options?: Record<string, unknown>): RedisBackendParts | Promise<RedisBackendParts>;
}

/** Seed nodes of a Redis Cluster (`createRedisBackend({ cluster })`). */
export interface RedisClusterSeeds {
  cluster: { host: string; port: number }[];
}

/** Loads the Redis store module. */
export type RedisModuleLoader = () => Promise<unknown>;

/** The Redis backend could not be loaded or reached. The CLI prints the message and exits 1. */
export class BackendUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendUnavailableError';
  }
}

/** A TaskSupport with the resources behind it. */
export interface Backend {
  readonly taskSupport: TaskSupport;
  /** `in-memory` or `redis <url without credentials>`. */
  readonly description: string;
  /** Aborts running tasks (TaskSupport.close) and releases the backend. Idempotent. */
  close(): Promise<void>;
}

/** How long shutdown waits for tool work that ignores its abort signal (the runtime's default is 5 s). */
export const SHUTDOWN_GRACE_MS = 2_000;

// A variable specifier keeps the compiler (and the in-memory server) from loading the module.
const REDIS_MODULE = '../../stores/redis/index.js';

/** Imports the Redis store module of this package. */
export const loadRedisModule: RedisModuleLoader = () => import(REDIS_MODULE);

/**
 * Builds the backend: in-memory without `redis`, else Redis (a URL or Cluster seed nodes) through
 * `load` (with `redisOptions`, e.g. the key prefix).
 */
export async function createBackend(
  redis: string | RedisClusterSeeds | undefined,
  load: RedisModuleLoader = loadRedisModule,
  redisOptions: { keyPrefix?: string } = {},
): Promise<Backend> {
  if (redis === undefined) {
    const taskSupport = TaskSupport.inMemory({ shutdownGrace: SHUTDOWN_GRACE_MS });
    return { taskSupport, description: 'in-memory', close: once(() => taskSupport.close()) };
  }
  let module: unknown;
  try {
    module = await load();
  } catch (error) {
    throw new BackendUnavailableError(`the Redis backend is not available in this build (${messageOf(error)})`, { cause: error });
  }
  if (!isRedisModule(module)) {
    throw new BackendUnavailableError('the Redis backend is not available in this build (no createRedisBackend export)');
  }
  const where = typeof redis === 'string' ? redactUrl(redis) : `cluster ${redis.cluster.map(({ host, port }) => `${host}:${port}`).join(',')}`;
  let parts: RedisBackendParts;
  try {
    parts = await module.createRedisBackend(redis, redisOptions);
  } catch (error) {
    throw new BackendUnavailableError(`cannot use Redis at ${where}: ${messageOf(error)}`, { cause: error });
  }
  try {
    await ping(parts);
  } catch (error) {
    await parts.close().catch(() => undefined);
    throw new BackendUnavailableError(`cannot reach Redis at ${where}: ${messageOf(error)}`, { cause: error });
  }
  const taskSupport = new TaskSupport({
    store: parts.store,
    queue: parts.queue,
    responseChannel: parts.responseChannel,
    shutdownGrace: SHUTDOWN_GRACE_MS,
    ...(parts.leases === undefined ? {} : { leases: parts.leases }),
  });
  return {
    taskSupport,
    description: `redis ${where}`,
    close: once(async () => {
      try {
        await taskSupport.close();
      } finally {
        await parts.close();
      }
    }),
  };
}

/** Pings Redis through the backend's client (when it exposes one), so a bad URL fails at start-up. */
async function ping(parts: RedisBackendParts): Promise<void> {
  const client = parts.connection?.client;
  if (typeof client?.ping !== 'function') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${REDIS_PING_TIMEOUT_MS} ms`)), REDIS_PING_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function isRedisModule(module: unknown): module is RedisModule {
  return typeof module === 'object' && module !== null && typeof (module as Partial<RedisModule>).createRedisBackend === 'function';
}

/** The URL without user name and password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
