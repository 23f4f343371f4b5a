/**
 * `RedisTaskLeases`: crash safety for tasks running in several processes.
 *
 * - A process that starts running a task takes a lease on it (`acquire`): its holder id in the
 *   task hash and a deadline (Redis time + `leaseMs`) in the lease set `{p}:leases`. A task this
 *   process created with its store (`createRedisBackend`) was leased to it by its creation
 *   ({@link RedisTaskLeases.claimed}); taking that lease soon after costs no round trip. One timer
 *   per process, running only while it holds leases, renews all of them every `renewIntervalMs`
 *   in one script call.
 * - The orphan check: one unref'd interval timer per process (every `checkIntervalMs`) lists the
 *   leases whose deadline has passed and fails each such task through the same transition script
 *   as every other change — only if its lease is still expired at that moment — with a clear
 *   `statusMessage` and a JSON-RPC error outcome, so waiters (a blocked `tasks/result` anywhere)
 *   wake up. This timer is the backend's only periodic work; it costs one command per interval.
 *
 * So a task whose process dies becomes `failed` within `leaseMs + checkIntervalMs` (of Redis being
 * back, after an outage: a reconnected process renews its own leases at once and waits a lease
 * period before its next check, so that holders alive through the outage keep their tasks). Work is never
 * run again (at most once); a process that was only slow (a pause longer than the lease) finds
 * its task failed and its late completion refused like any completion of a terminal task.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { StoreClosedError } from '../../core/errors.js';
import { integerOption } from '../../core/storeInput.js';
import type { TaskLeases } from '../../core/leases.js';
import { encodeOutcome } from './codec.js';
import { RedisConnection, type RedisConnectionOptions, type RedisTarget } from './connection.js';
import { scopeOfOwner } from './keys.js';
import type { RedisClient } from './luaScript.js';
import { RedisScripts } from './scripts.js';

/** Options of {@link RedisTaskLeases}. */
export interface RedisTaskLeasesOptions extends RedisConnectionOptions {
  /** How long a lease lasts without renewal (ms). Default 15,000. */
  leaseMs?: number;
  /** How often held leases are renewed (ms); less than `leaseMs`. Default `leaseMs / 3`. */
  renewIntervalMs?: number;
  /** How often this process looks for expired leases (ms); `0` turns the orphan check off. Default 5,000. */
  checkIntervalMs?: number;
  /** This process's holder id. Default `<hostname>:<pid>:<random>`. */
  holderId?: string;
  /** Called when a lease this process held was lost (its task was declared orphaned or ended elsewhere). */
  onLeaseLost?: (taskId: string) => void;
}

export const DEFAULT_LEASE_MS = 15_000;
export const DEFAULT_LEASE_CHECK_INTERVAL = 5_000;

/** The status message of a task failed by the orphan check. */
export const ORPHANED_TASK_MESSAGE =
  'Task failed: the server process running it stopped (its lease expired without renewal); the work did not finish';

/** The outcome of a task failed by the orphan check. */
const ORPHAN_OUTCOME = encodeOutcome({ kind: 'error', error: { code: ErrorCode.InternalError, message: ORPHANED_TASK_MESSAGE } });

/** Most expired leases one check handles per bucket (the rest are handled by the next check). */
const CHECK_BATCH = 100;
/** Most leases renewed by one script call. */
const RENEW_BATCH = 500;

/** {@link TaskLeases} in Redis, with the orphan check. */
export class RedisTaskLeases implements TaskLeases {
  /** Lease duration (ms). */
  readonly leaseMs: number;
  /** Renewal period (ms). */
  readonly renewIntervalMs: number;
  /** Orphan check period (ms); 0 when off. */
  readonly checkIntervalMs: number;
  /** This process's holder id. */
  readonly holderId: string;
  /** The connection (shared when built by `createRedisBackend`). */
  readonly connection: RedisConnection;

  readonly #scripts: RedisScripts;
  readonly #held = new Set<string>();
  /** Leases the creation of a task took for this holder, by task id: when (`performance.now()`). */
  readonly #claims = new Map<string, number>();
  readonly #onLeaseLost: ((taskId: string) => void) | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #checkTimer: NodeJS.Timeout | undefined;
  #renewing = false;
  #checking: Promise<string[]> | undefined;
  #renewFailed = false;
  /** Until when (epoch ms) the orphan check waits after Redis came back, so that live holders renew first. */
  #checkAfter = 0;
  readonly #unreconnect: () => void;
  #closed = false;

  /** `redis` is a URL, an ioredis client or a shared {@link RedisConnection} (the last two are not closed here). */
  constructor(redis: RedisTarget | RedisConnection, options: RedisTaskLeasesOptions = {}) {
    this.leaseMs = integerOption(options.leaseMs, DEFAULT_LEASE_MS, 'leaseMs');
    this.renewIntervalMs = integerOption(options.renewIntervalMs, Math.max(1, Math.floor(this.leaseMs / 3)), 'renewIntervalMs');
    if (this.renewIntervalMs >= this.leaseMs) throw new RangeError('renewIntervalMs must be less than leaseMs');
    this.checkIntervalMs = integerOption(options.checkIntervalMs, DEFAULT_LEASE_CHECK_INTERVAL, 'checkIntervalMs', 0);
    this.holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
    this.#onLeaseLost = options.onLeaseLost;
    this.connection = RedisConnection.of(redis, options);
    this.connection.attach();
    this.#scripts = new RedisScripts(this.connection);
    // Nobody could renew while Redis was away, so every lease may look expired when it is back: this
    // process renews its own at once, and its orphan check waits a lease period, so that only the
    // tasks of holders that are really gone are failed (still within lease + check of Redis's return).
    this.#unreconnect = this.connection.onReconnect(() => {
      this.#checkAfter = Date.now() + this.leaseMs;
      if (this.#held.size > 0) void this.renew().catch(() => undefined);
    });
    if (this.checkIntervalMs > 0) {
      this.#checkTimer = setInterval(() => void this.checkOrphans().catch(() => undefined), this.checkIntervalMs);
      this.#checkTimer.unref();
    }
  }

  /** Task ids this process holds leases on. */
  get held(): readonly string[] {
    return [...this.#held];
  }

  async acquire(taskId: string): Promise<void> {
    this.#assertOpen();
    if (!this.#takeClaim(taskId)) {
      const taken = await this.#scripts.acquireLease({ taskId, holder: this.holderId, leaseMs: this.leaseMs });
      if (!taken) return; // gone or already terminal: nothing to guard
    }
    this.#held.add(taskId);
    this.#startRenewing();
  }

  /**
   * Notes that the creation of `taskId`, sent at `sentAt` (`performance.now()`), leased it to this
   * holder for `leaseMs` (the store's `leases` option). A task that was cancelled before
   * {@link acquire} is found lost by the next renewal, like any lease lost later.
   */
  claimed(taskId: string, sentAt: number): void {
    if (this.#closed) return;
    this.#claims.set(taskId, sentAt);
    // Claims never acquired (the task ran elsewhere, or never) are dropped once too old to use.
    const usable = performance.now() - this.#claimLife;
    for (const [id, at] of this.#claims) {
      if (at >= usable) break;
      this.#claims.delete(id);
    }
  }

  /**
   * How long after its creation a claimed lease can still be taken over without asking Redis:
   * the first renewal (at most `renewIntervalMs` after `acquire`) must come well before the lease,
   * which counts from the creation, lapses.
   */
  get #claimLife(): number {
    return (this.leaseMs - this.renewIntervalMs) / 2;
  }

  /** Whether a usable claim on `taskId` was there (it is used up either way). */
  #takeClaim(taskId: string): boolean {
    const at = this.#claims.get(taskId);
    if (at === undefined) return false;
    this.#claims.delete(taskId);
    return performance.now() - at < this.#claimLife;
  }

  /**
   * Stops renewing the lease. Nothing is written: a task that reached a terminal state lost its
   * lease in that same step, and a task that did not (its outcome could not be written) keeps it
   * until it lapses, so that the orphan check fails it — a non-terminal task is never left without
   * a lease.
   */
  async release(taskId: string): Promise<void> {
    this.#assertOpen();
    if (!this.#held.delete(taskId)) return;
    if (this.#held.size === 0) this.#stopRenewing();
  }

  /** Renews every held lease now (the renewal timer calls this). Returns the ids of leases found lost. */
  async renew(): Promise<string[]> {
    this.#assertOpen();
    // One script per bucket (one Cluster slot each in the sharded layout), at most RENEW_BATCH ids each.
    const byBucket = new Map<number, string[]>();
    for (const taskId of this.#held) {
      const bucket = this.connection.keys.bucketOf(taskId);
      const ids = byBucket.get(bucket);
      if (ids === undefined) byBucket.set(bucket, [taskId]);
      else ids.push(taskId);
    }
    const calls: Promise<string[]>[] = [];
    for (const [bucket, ids] of byBucket) {
      for (let i = 0; i < ids.length; i += RENEW_BATCH) {
        calls.push(this.#scripts.renewLeases({ holder: this.holderId, leaseMs: this.leaseMs, bucket, taskIds: ids.slice(i, i + RENEW_BATCH) }));
      }
    }
    const lost = (await Promise.all(calls)).flat();
    for (const taskId of lost) {
      if (this.#held.delete(taskId)) this.#onLeaseLost?.(taskId);
    }
    if (this.#held.size === 0) this.#stopRenewing();
    return lost;
  }

  /**
   * Runs one orphan check now (the check timer calls this): every task whose lease expired is
   * failed with {@link ORPHANED_TASK_MESSAGE}. Returns the ids of the tasks it failed.
   */
  checkOrphans(): Promise<string[]> {
    this.#assertOpen();
    if (Date.now() < this.#checkAfter) return Promise.resolve([]);
    this.#checking ??= this.#checkOrphans().finally(() => {
      this.#checking = undefined;
    });
    return this.#checking;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#checkTimer !== undefined) clearInterval(this.#checkTimer);
    this.#checkTimer = undefined;
    this.#unreconnect();
    this.#stopRenewing();
    // The leases still held lapse by themselves (see `release`).
    this.#held.clear();
    this.#claims.clear();
    await this.#checking?.catch(() => undefined);
    await this.connection.detach();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('Task leases');
  }

  /** Checks every bucket's lease set (each on its own slot when sharded), the buckets side by side. */
  async #checkOrphans(): Promise<string[]> {
    const buckets = Array.from({ length: this.connection.keys.buckets }, (_, bucket) => this.#checkBucket(bucket));
    return (await Promise.all(buckets)).flat();
  }

  async #checkBucket(bucket: number): Promise<string[]> {
    const keys = this.connection.keys;
    const expired = await this.#scripts.expiredLeases({ bucket, limit: CHECK_BATCH });
    const failed: string[] = [];
    for (const taskId of expired) {
      const owner = await this.connection.call((c) => c.hget(keys.task(taskId), 'owner'));
      if (owner === null) {
        // The task expired or was deleted: only its lease entry is left.
        await this.connection.call((c) => c.zrem(keys.leases(bucket), taskId));
        continue;
      }
      const scope = scopeOfOwner(owner);
      const reply = await this.#scripts.transitionTask({ taskId, scope, status: 'failed', statusMessage: ORPHANED_TASK_MESSAGE, outcome: ORPHAN_OUTCOME, orphan: true });
      if (reply.kind === 'ok') failed.push(taskId);
    }
    return failed;
  }

  #startRenewing(): void {
    if (this.#renewTimer !== undefined || this.#closed) return;
    this.#renewTimer = setInterval(() => {
      if (this.#renewing) return;
      this.#renewing = true;
      this.renew()
        .then(
          () => {
            this.#renewFailed = false;
          },
          (err: unknown) => {
            if (this.#closed || this.#renewFailed) return;
            this.#renewFailed = true;
            this.connection.warn(`mcp-tasks: could not renew task leases: ${err instanceof Error ? err.message : String(err)}`);
          },
        )
        .finally(() => {
          this.#renewing = false;
        });
    }, this.renewIntervalMs);
    this.#renewTimer.unref();
  }

  #stopRenewing(): void {
    if (this.#renewTimer !== undefined) clearInterval(this.#renewTimer);
    this.#renewTimer = undefined;
  }
}
