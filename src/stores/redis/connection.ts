/**
 * `RedisConnection`: what the Redis store, queue, response channel and leases share — the command
 * client, a lazily opened pub/sub connection, the key layout and the warning sink.
 */
import { Cluster, Redis } from 'ioredis';
import { backendError, RedisBackendError } from './errors.js';
import { RedisKeys, type RedisKeyLayout } from './keys.js';
import { isCluster, type LuaScript, type RedisClient } from './luaScript.js';
import { Subscriptions } from './subscriptions.js';

/** Options of a {@link RedisConnection}. */
export interface RedisConnectionOptions {
  /**
   * Our key prefix (ioredis's own `keyPrefix` is refused: it does not apply to script keys the
   * way it must). Every key is `{<keyPrefix>}:…`. Default `mcp-tasks`.
   */
  keyPrefix?: string;
  /**
   * How keys are spread over Cluster slots (see `RedisKeys`): `sharded` (the default on a Redis
   * Cluster) spreads tasks and owners over the slots; `single-slot` (the default on a standalone
   * Redis) keeps a deployment on one slot. Every process of a deployment must use the same.
   */
  layout?: RedisKeyLayout;
  /** Receives warnings (eviction policy, lost connection). Default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
}

/** How long a command may wait for Redis's reply before it fails (ms); see {@link COMMAND_CLIENT_OPTIONS}. */
export const DEFAULT_COMMAND_TIMEOUT = 5_000;

/**
 * ioredis options for connections this library opens from a URL:
 * - requests fail fast (after 3 reconnection attempts) instead of queueing forever, and
 *   reconnection attempts are at most 500 ms apart (service resumes soon after Redis is back);
 * - a command whose reply was lost with the connection is never sent again (a script may have run
 *   already). ioredis then neither resends nor settles it: it drops it silently when the connection
 *   is back, so `commandTimeout` is what makes such a command fail instead of hanging for ever (and
 *   a stalled Redis answers with a clear error instead of a hang);
 * - no auto-pipelining: a connection lost in the middle of an automatic pipeline leaves ioredis's
 *   command queue out of step, and every later command on the connection hangs.
 */
export const COMMAND_CLIENT_OPTIONS = Object.freeze({
  maxRetriesPerRequest: 3,
  retryStrategy: (attempt: number) => Math.min(attempt * 50, 500),
  autoResendUnfulfilledCommands: false,
  commandTimeout: DEFAULT_COMMAND_TIMEOUT,
  enableAutoPipelining: false,
});

/** The seed nodes of a Redis Cluster to connect to (any reachable master or replica will do). */
export interface RedisClusterNodes {
  readonly cluster: readonly { readonly host: string; readonly port: number }[];
}

/** Where the backend's Redis is: a URL, an ioredis `Redis` / `Cluster` client, or Cluster seed nodes. */
export type RedisTarget = string | RedisClient | RedisClusterNodes;

function isClusterNodes(redis: RedisTarget): redis is RedisClusterNodes {
  return typeof redis === 'object' && redis !== null && Array.isArray((redis as Partial<RedisClusterNodes>).cluster);
}

function defaultWarning(message: string): void {
  process.emitWarning(message, { code: 'MCP_TASKS_REDIS' });
}

/**
 * The pub/sub connection: no ready check (an INFO) — ioredis refuses it on a connection already in
 * subscriber mode (see Subscriptions.listenPattern); no automatic resubscription either — ioredis
 * would send it unawaited (its timeout an unhandled rejection), and Subscriptions resubscribes
 * every pattern itself after a reconnection.
 */
const SUBSCRIBER_OPTIONS = Object.freeze({ maxRetriesPerRequest: null, enableReadyCheck: false, enableAutoPipelining: false, autoResubscribe: false });

/** Reconnection attempts to one Cluster node before the pub/sub connection moves to the next. */
const NODE_ATTEMPTS = 3;

/**
 * The pub/sub connection of a Cluster: to its `index`-th known node (cycling through them), or to
 * a seed node; a duplicate of the Cluster client when no node is known yet.
 */
function clusterSubscriber(cluster: Cluster, seeds: readonly { host: string; port: number }[], index: number): RedisClient {
  const known = cluster.nodes('all').map((node) => ({ host: node.options.host ?? '127.0.0.1', port: node.options.port ?? 6379 }));
  const nodes = known.length > 0 ? known : seeds;
  const node = nodes[index % Math.max(1, nodes.length)];
  if (node === undefined) return cluster.duplicate();
  return new Redis({
    ...cluster.options.redisOptions,
    ...SUBSCRIBER_OPTIONS,
    lazyConnect: false,
    host: node.host,
    port: node.port,
    retryStrategy: (attempt: number) => (attempt > NODE_ATTEMPTS ? null : attempt * 100),
  });
}

/** A Redis client (or URL) plus the pub/sub connection and key layout of one deployment. */
export class RedisConnection {
  /** The command client. */
  readonly client: RedisClient;
  /** The key layout. */
  readonly keys: RedisKeys;
  /** Where warnings go. */
  readonly warn: (message: string) => void;
  readonly #ownsClient: boolean;
  /** Stores, queues, channels and lease sets using this connection. */
  #users = 0;
  #closeWhenUnused = false;
  /** The seed nodes it was given, for a Cluster opened here. */
  readonly #seeds: readonly { host: string; port: number }[];
  #subscriptions: Subscriptions | undefined;
  /** Listeners put on the command client, removed at close (it may be the caller's). */
  readonly #listeners: Array<[string, (...args: unknown[]) => void]> = [];
  /** Commands sent on the ready command connection and not answered yet: they fail when it closes. */
  readonly #inFlight = new Set<(error: Error) => void>();
  #closed = false;

  /**
   * `redis` is a URL (`redis://…`, `rediss://…`) or `{ cluster: [{ host, port }, …] }` (a
   * connection is opened, with {@link COMMAND_CLIENT_OPTIONS} per node, and closed with this
   * object), or an ioredis `Redis` / `Cluster` client (used as is and never closed here; give it
   * `autoResendUnfulfilledCommands: false`). Throws `RangeError` for a client with a `keyPrefix`
   * or a bad `keyPrefix` option.
   */
  constructor(redis: RedisTarget, options: RedisConnectionOptions = {}) {
    // Checked before anything is opened: a bad prefix or layout throws without a connection to close.
    const cluster = typeof redis !== 'string' && (isClusterNodes(redis) || isCluster(redis));
    this.keys = new RedisKeys(options.keyPrefix, options.layout ?? (cluster ? 'sharded' : 'single-slot'));
    this.warn = options.onWarning ?? defaultWarning;
    let seeds: { host: string; port: number }[] = [];
    if (typeof redis === 'string') {
      this.client = new Redis(redis, { ...COMMAND_CLIENT_OPTIONS });
      this.#ownsClient = true;
    } else if (isClusterNodes(redis)) {
      if (redis.cluster.length === 0) throw new RangeError('A Redis Cluster needs at least one seed node');
      seeds = redis.cluster.map(({ host, port }) => ({ host, port }));
      const { enableAutoPipelining, ...perNode } = COMMAND_CLIENT_OPTIONS;
      this.client = new Cluster(
        redis.cluster.map(({ host, port }) => ({ host, port })),
        { redisOptions: perNode, enableAutoPipelining, clusterRetryStrategy: perNode.retryStrategy },
      );
      this.#ownsClient = true;
    } else {
      const opts = (redis as { options?: { keyPrefix?: string; redisOptions?: { keyPrefix?: string } } }).options;
      if (opts?.keyPrefix || opts?.redisOptions?.keyPrefix) {
        throw new RangeError('The Redis client has an ioredis keyPrefix: use the keyPrefix option of mcp-tasks instead');
      }
      this.client = redis;
      this.#ownsClient = false;
    }
    this.#seeds = seeds;
    this.#listeners = this.#reportErrors(this.client, 'command');
    // ioredis drops (never settles) a command whose reply was lost with the connection when it
    // does not resend it: such a command fails here at once instead of waiting for its timeout.
    const onClose = (): void => {
      const lost = new RedisBackendError(new Error('the connection to Redis closed before it answered (the command may have run)'));
      for (const fail of this.#inFlight) fail(lost);
      this.#inFlight.clear();
    };
    this.client.on('close', onClose);
    this.#listeners.push(['close', onClose]);
  }

  /** A connection opened for one part (store, queue, …) alone: it closes when that part closes. */
  static owned(redis: RedisTarget, options: RedisConnectionOptions = {}): RedisConnection {
    const connection = new RedisConnection(redis, options);
    connection.closeWhenUnused();
    return connection;
  }

  /** The connection a part uses: a shared one as it is, else one opened for that part alone ({@link owned}). */
  static of(redis: RedisTarget | RedisConnection, options: RedisConnectionOptions = {}): RedisConnection {
    return redis instanceof RedisConnection ? redis : RedisConnection.owned(redis, options);
  }

  /** Called by each part that uses this connection, when it is built. */
  attach(): void {
    this.#users++;
  }

  /** Called by each part when it closes; the last one closes the connection if {@link closeWhenUnused} was called. */
  async detach(): Promise<void> {
    this.#users--;
    if (this.#users <= 0 && this.#closeWhenUnused) await this.close();
  }

  /**
   * Closes the connection as soon as no part uses it any more (`createRedisBackend` sets this, so
   * closing the four parts, e.g. through `TaskSupport.close()`, also closes the connections).
   */
  closeWhenUnused(): void {
    this.#closeWhenUnused = true;
  }

  /**
   * Calls `listener` each time the command connection is ready again after it was lost (not at the
   * first connection). Returns the function that stops it.
   */
  onReconnect(listener: () => void): () => void {
    let first = this.client.status !== 'ready';
    const onReady = (): void => {
      if (first) {
        first = false;
        return;
      }
      listener();
    };
    this.client.on('ready', onReady);
    return () => {
      this.client.off('ready', onReady);
    };
  }

  /** Whether {@link close} has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The shared pub/sub connection (opened on first use). */
  get subscriptions(): Subscriptions {
    if (this.#subscriptions === undefined) {
      const client = this.client;
      // No ready check (an INFO) on the pub/sub connection: ioredis refuses it on a connection
      // already in subscriber mode (see Subscriptions.listenPattern). No automatic resubscription either:
      // ioredis would send it unawaited (its timeout an unhandled rejection), and Subscriptions
      // resubscribes every channel and pattern itself after a reconnection.
      // On a Cluster: a plain connection to one node (every node gets every PUBLISH), which gives
      // up after a few attempts so that the next one goes to the next node, each break seen. (A
      // Cluster client's own subscriber moves to another node silently; it is used only while no
      // node is known yet.)
      let next = 0;
      const open = (): RedisClient => {
        const subscriber = isCluster(client) ? clusterSubscriber(client, this.#seeds, next++) : client.duplicate(SUBSCRIBER_OPTIONS);
        this.#reportErrors(subscriber, 'pub/sub');
        return subscriber;
      };
      this.#subscriptions = new Subscriptions(open);
    }
    return this.#subscriptions;
  }

  /** Resolves once Redis answers a PING; rejects with a {@link RedisBackendError} when it cannot be reached (after the reconnection attempts, at most the command timeout). */
  async ping(): Promise<void> {
    await this.call((client) => client.ping());
  }

  /** Runs a script; Redis errors become {@link RedisBackendError}s. */
  run(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.call((client) => script.run(client, keys, args));
  }

  /** Runs commands on the client; Redis errors become {@link RedisBackendError}s. */
  async call<T>(commands: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await this.#tracked(() => commands(this.client));
    } catch (err) {
      throw backendError(err);
    }
  }

  /** Runs `op`; sent on a ready connection, it fails as soon as the connection closes before it is answered. */
  #tracked<T>(op: () => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') return op(); // queued until the connection is back: ioredis settles it
    return new Promise<T>((resolve, reject) => {
      this.#inFlight.add(reject);
      op().then(resolve, reject).finally(() => this.#inFlight.delete(reject));
    });
  }

  /**
   * Runs `read` once the command connection is ready (at once when it is). If it fails while the
   * connection is down, it runs again at the next reconnection, at most `attempts` times in all; a
   * failure on a ready connection is thrown. Waiters read state this way, so a wait begun or
   * resumed during a Redis outage carries on once Redis is back instead of failing.
   */
  async whenReady<T>(read: () => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.client.status !== 'ready') await this.#ready();
      try {
        return await read();
      } catch (err) {
        if (attempt >= attempts || this.client.status === 'ready' || this.#closed) throw err;
      }
    }
  }

  /** Resolves at the command connection's next 'ready'; rejects if it ends for good first. */
  #ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const client = this.client;
      const onReady = (): void => {
        client.off('end', onEnd);
        resolve();
      };
      const onEnd = (): void => {
        client.off('ready', onReady);
        reject(new RedisBackendError(new Error('the Redis connection was closed')));
      };
      client.once('ready', onReady);
      client.once('end', onEnd);
    });
  }

  /**
   * Reads Redis's `maxmemory-policy` and warns unless it is `noeviction` (any other policy may
   * evict task keys, which then look exactly like unknown tasks), or when it cannot be read
   * (managed services often disable `CONFIG`). Returns the policy, or `undefined`. Never throws.
   */
  async checkEvictionPolicy(): Promise<string | undefined> {
    let policy: string | undefined;
    try {
      const reply = (await this.client.config('GET', 'maxmemory-policy')) as unknown;
      const value = Array.isArray(reply) ? (reply[1] as unknown) : undefined;
      if (typeof value === 'string') policy = value;
    } catch (err) {
      // Unreachable (not a refusal by Redis): there is nothing to tell about the policy, and the
      // requests report the outage themselves.
      if (this.#closed || !(err instanceof Error) || err.name !== 'ReplyError') return undefined;
      this.warn(
        `mcp-tasks: could not read Redis maxmemory-policy (${err instanceof Error ? err.message : String(err)}); ` +
          `make sure it is 'noeviction', or task keys may be evicted`,
      );
      return undefined;
    }
    if (policy === undefined) {
      this.warn(`mcp-tasks: Redis did not report maxmemory-policy; make sure it is 'noeviction', or task keys may be evicted`);
    } else if (policy !== 'noeviction') {
      this.warn(
        `mcp-tasks: Redis maxmemory-policy is '${policy}': when memory runs out Redis may evict task keys, ` +
          `and an evicted task looks like an unknown one. Set maxmemory-policy to 'noeviction'.`,
      );
    }
    return policy;
  }

  /**
   * In the sharded layout, warns when the prefix also has keys of the single-slot layout (a
   * deployment from before, on the same Cluster): this backend does not see their tasks. Never
   * throws; nothing is checked in the single-slot layout.
   */
  async checkLayout(): Promise<void> {
    if (this.keys.layout !== 'sharded') return;
    try {
      // The single-slot layout's sequence counter: created by its first task, never by the sharded one.
      if ((await this.client.exists(`${this.keys.tag}:seq`)) === 1) {
        this.warn(
          `mcp-tasks: Redis has tasks of key prefix '${this.keys.prefix}' in the single-slot layout of earlier releases; ` +
            `this backend uses the sharded layout and does not see them (pass layout: 'single-slot' to keep using them)`,
        );
      }
    } catch {
      // Unreachable: the requests report the outage themselves.
    }
  }

  /** Closes the pub/sub connection, and the command client if this object opened it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [event, listener] of this.#listeners) this.client.off(event, listener);
    this.#subscriptions?.close();
    const closing: Promise<void>[] = [];
    if (this.#subscriptions !== undefined) closing.push(shutdown(this.#subscriptions.client));
    if (this.#ownsClient) closing.push(shutdown(this.client));
    await Promise.all(closing);
  }

  /**
   * Warns once per outage about a connection (ioredis reconnects by itself): on its first error, or
   * when an established connection closes without being asked to — a Redis restarted faster than the
   * first reconnection attempt raises no error, but it was an outage. Returns the listeners.
   */
  #reportErrors(client: RedisClient, role: string): Array<[string, (...args: unknown[]) => void]> {
    let reported = false;
    // Before the first connection there is no outage to report: whoever waits gets the error.
    let connected = client.status === 'ready';
    const report = (why: string): void => {
      if (!connected || reported || this.#closed) return;
      reported = true;
      this.warn(`mcp-tasks: Redis ${role} connection error: ${why} (reconnecting)`);
    };
    const onError = (err: unknown): void => report(err instanceof Error ? err.message : String(err));
    const onLost = (): void => report('the connection closed');
    const onReady = (): void => {
      connected = true;
      reported = false;
    };
    client.on('error', onError);
    client.on('close', onLost);
    client.on('ready', onReady);
    return [
      ['error', onError],
      ['close', onLost],
      ['ready', onReady],
    ];
  }
}

/** Quits a connection gracefully when it is up, else drops it. */
async function shutdown(client: RedisClient): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through
    }
  }
  client.disconnect();
}
