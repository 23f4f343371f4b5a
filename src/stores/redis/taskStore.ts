/**
 * `RedisTaskStore`: a {@link TaskStore} in Redis, shared by any number of processes.
 *
 * - Every change is one Lua script (`createTask`, `transitionTask`, `deleteTask`) that enforces
 *   the owner check, terminal immutability (so `cancelled` wins) and the limits, and publishes the
 *   task's new state on its event channel.
 * - Times are Redis server time (read inside the scripts). A task's keys get `PEXPIREAT
 *   createdAt + ttl` when they are created, so the TTL counts from creation whatever the status.
 * - `tasks/list` pages through a per-owner sorted set scored by a creation sequence number; the
 *   cursor encodes that number. Entries of expired tasks are skipped and removed lazily.
 * - `waitForUpdate` is subscribed to the task channels (one pattern per process, no SUBSCRIBE per
 *   task) before it reads the version (no lost wake-up), re-reads after a reconnection, and ends
 *   with `null` when the task expires (a one-shot timer at its expiry, armed only while someone
 *   waits on it). Nothing polls.
 * - A task state this process learned while that pattern was subscribed (from its own create,
 *   change or read, kept up to date by the task's messages) is {@link KnownFacts known}: a
 *   `waitForUpdate` starts from it instead of reading Redis. Reads (`getTask`, …) always go to
 *   Redis, but for the outcome of a task this process finished, answered while its terminal state
 *   is known (an outcome never changes).
 */
import type { Request, RequestId, Result, Task, TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import { decodeCursor, encodeCursor } from '../../core/cursor.js';
import { InvalidCursorError, StoreClosedError, TaskNotFoundError, TaskTerminalError } from '../../core/errors.js';
import { generateTaskId } from '../../core/ids.js';
import { MAX_TIMER_DELAY } from '../../core/pause.js';
import { isTerminal } from '../../core/status.js';
import * as input from '../../core/storeInput.js';
import { MAX_PENDING_INPUT_REQUESTS, type InputRequestChange, type PendingInputRequest } from '../../core/taskStore.js';
import type { CreateTaskOptions, FinishTaskInput, TaskOutcome, TaskScope, TaskState } from '../../core/taskStore.js';
import type { TaskStore, TaskStoreLimits, TaskStoreOptions, TaskUpdate } from '../../core/taskStore.js';
import { resolveTtl, type TtlPolicy } from '../../core/ttl.js';
import { ChannelWatches } from './channelWatches.js';
import { KnownFacts, type Learning } from './knownFacts.js';
import { KnownOutcomes } from './knownOutcomes.js';
import type { RedisTaskLeases } from './leases.js';
import type { RedisTaskMessageQueue } from './messageQueue.js';
import { decodeInputRequest, decodeOutcome, encodeOutcome, parseTaskEvent, type StoredTask } from './codec.js';
import { RedisConnection, type RedisConnectionOptions, type RedisTarget } from './connection.js';
import { RedisBackendError } from './errors.js';
import { ownerOf } from './keys.js';
import type { RedisClient } from './luaScript.js';
import { RedisScripts, type TaskRead } from './scripts.js';

/** Options of a {@link RedisTaskStore}. */
export interface RedisTaskStoreOptions extends TaskStoreOptions, RedisConnectionOptions {
  /**
   * Cover each new task with a provisional lease of this many ms, until the process that runs it
   * takes the lease (`createRedisBackend` sets the lease duration when there are leases): a task
   * whose creator dies before that is failed by the orphan check instead of staying `working`.
   * Leave unset without leases (nothing would check them).
   */
  provisionalLeaseMs?: number;
  /**
   * The leases of this process, when it runs the tasks this store creates (`createRedisBackend`
   * sets it): each new task is leased to this process by its creation, so that taking the lease
   * when the task starts costs no round trip. Replaces {@link provisionalLeaseMs}.
   */
  leases?: RedisTaskLeases;
  /**
   * The queue on the same connection and key prefix (`createRedisBackend` sets it): it learns
   * that a new task's queue is empty, so that draining it costs no round trip.
   */
  queue?: RedisTaskMessageQueue;
}

/** Most expired index entries a creation prunes from its scope's index. */
const PRUNE_BATCH = 100;

/** Whether `taskId` can name a task at all; anything else is simply "not found". */
function plausibleId(taskId: unknown): taskId is string {
  return typeof taskId === 'string' && taskId.length > 0 && taskId.length <= 256;
}

/** Serializes a checked outcome (throws -32602 when it cannot be). */
function outcomeJson(outcome: TaskOutcome): string {
  try {
    return encodeOutcome(outcome);
  } catch (err) {
    throw input.invalidParams(`Task outcome cannot be stored: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Serializes a checked input request (throws -32602 when it cannot be). */
function requestJson(request: PendingInputRequest): string {
  try {
    return JSON.stringify(request);
  } catch (err) {
    throw input.invalidParams(`Input request cannot be stored: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A {@link TaskStore} in Redis; hand it to an SDK `Server` / `McpServer` as `taskStore` too. */
export class RedisTaskStore implements TaskStore {
  /** The TTL policy this store applies. */
  readonly ttlPolicy: TtlPolicy;
  /** The limits enforced at creation (atomically, in the creation script). */
  readonly limits: Readonly<TaskStoreLimits>;
  /** `tasks/list` page size. */
  readonly pageSize: number;
  /** `pollInterval` reported for tasks created without one. */
  readonly defaultPollInterval: number;
  /** The connection (shared with a queue, channel and leases when built by `createRedisBackend`). */
  readonly connection: RedisConnection;

  readonly #scripts: RedisScripts;
  readonly #provisionalLeaseMs: number | undefined;
  readonly #leases: RedisTaskLeases | undefined;
  readonly #queue: RedisTaskMessageQueue | undefined;
  readonly #watches: ChannelWatches<StoredTask | null>;
  /** Task states known to be current (`null`: deleted). */
  readonly #known: KnownFacts<StoredTask | null>;
  /** Outcomes of tasks finished here, answered while their terminal state is known. */
  readonly #outcomes = new KnownOutcomes();
  readonly #expiryTimers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  /**
   * `redis` is a URL, an ioredis client (not closed by {@link close}) or a shared
   * {@link RedisConnection} (not closed either).
   */
  constructor(redis: RedisTarget | RedisConnection, options: RedisTaskStoreOptions = {}) {
    ({ ttlPolicy: this.ttlPolicy, limits: this.limits, pageSize: this.pageSize, defaultPollInterval: this.defaultPollInterval } =
      input.resolveStoreOptions(options));
    this.connection = RedisConnection.of(redis, options);
    this.connection.attach();
    this.#scripts = new RedisScripts(this.connection);
    const lease = options.provisionalLeaseMs;
    if (lease !== undefined && (!Number.isSafeInteger(lease) || lease < 1)) throw new RangeError('provisionalLeaseMs must be a positive integer');
    this.#leases = options.leases;
    this.#queue = options.queue;
    this.#provisionalLeaseMs = this.#leases?.leaseMs ?? lease;
    const keys = this.connection.keys;
    this.#watches = new ChannelWatches<StoredTask | null>({
      subscriptions: () => this.connection.subscriptions,
      onResync: (taskId) => void this.#refresh(taskId),
      channelPrefix: keys.taskEvents(''),
      onMessage: (taskId, message) => this.#learned(taskId, parseTaskEvent(taskId, message)),
      follows: (taskId) => this.#known.follows(taskId),
      onEmpty: (taskId) => this.#clearExpiryTimer(taskId),
    });
    this.#known = new KnownFacts<StoredTask | null>(
      this.#watches,
      // a deleted task stays deleted; otherwise the higher version is the later state
      { newer: (value, current) => current !== null && (value === null || value.version > current.version) },
    );
  }

  async createTask(taskParams: CreateTaskOptions, _requestId: RequestId, _request: Request, scope?: TaskScope): Promise<Task> {
    this.#assertOpen();
    const requested = taskParams?.ttl;
    const ttl = resolveTtl(typeof requested === 'number' || requested === null ? requested : undefined, this.ttlPolicy);
    const pollInterval = input.resolvePollInterval(taskParams?.pollInterval, this.defaultPollInterval);
    const { maxTasks, maxActiveTasksPerScope } = this.limits;
    for (;;) {
      const taskId = generateTaskId();
      // The runtime waits on the tasks it creates: from now on, what is learnt about them can be kept.
      if (this.#leases !== undefined) this.#watches.listen();
      const learning = this.#known.begin(taskId);
      const sentAt = performance.now();
      const create = () =>
        this.#scripts.createTask({
          taskId,
          scope,
          ttl,
          pollInterval,
          maxTasks,
          maxActiveTasksPerScope,
          pruneBatch: PRUNE_BATCH,
          provisionalLeaseMs: this.#provisionalLeaseMs,
          leaseHolder: this.#leases?.holderId,
        });
      const reply = await this.#abandonOnFailure(learning, () =>
        this.#queue === undefined ? create() : this.#queue.created(taskId, create, (created) => created.kind === 'ok'),
      );
      if (reply.kind !== 'ok') this.#known.abandon(learning);
      if (reply.kind === 'exists') continue; // 128 random bits collided: take another id.
      if (reply.kind === 'limit') throw input.taskLimitError(reply.limit, this.limits[reply.limit]);
      this.#leases?.claimed(taskId, sentAt);
      // It expires `ttl` after its creation, which came after `sentAt`.
      this.#known.learn(learning, reply.stored, ttl === null ? Number.POSITIVE_INFINITY : sentAt + ttl);
      return reply.stored.task;
    }
  }

  async getTask(taskId: string, scope?: TaskScope): Promise<Task | null> {
    return (await this.#read(taskId, scope, false))?.stored.task ?? null;
  }

  async getTaskState(taskId: string, scope?: TaskScope): Promise<TaskState | null> {
    const read = await this.#read(taskId, scope, false);
    return read === null ? null : { task: read.stored.task, version: read.stored.version };
  }

  async updateTask(taskId: string, update: TaskUpdate, scope?: TaskScope): Promise<Task> {
    const { status, statusMessage } = input.checkTaskUpdate(update);
    return this.#transition(taskId, scope, status, statusMessage, undefined, 'update task');
  }

  async finishTask(taskId: string, finish: FinishTaskInput, scope?: TaskScope): Promise<Task> {
    const { status, statusMessage, outcome } = input.checkFinishInput(finish);
    return this.#transition(taskId, scope, status, statusMessage, outcomeJson(outcome), 'store result');
  }

  async getTaskOutcome(taskId: string, scope?: TaskScope): Promise<TaskOutcome | null> {
    const known = this.#knownOutcome(taskId, scope);
    if (known !== undefined) return known;
    const read = await this.#read(taskId, scope, true);
    if (read === null) throw new TaskNotFoundError(taskId);
    return read.outcome === null ? null : decodeOutcome(taskId, read.outcome);
  }

  async addInputRequest(taskId: string, key: string, request: PendingInputRequest, scope?: TaskScope): Promise<InputRequestChange> {
    this.#assertOpen();
    input.checkInputRequestKey(key);
    const json = requestJson(input.checkInputRequest(request));
    if (!plausibleId(taskId)) throw new TaskNotFoundError(String(taskId));
    const reply = await this.#scripts.changeInputRequest({ taskId, scope, key, json, maxPending: MAX_PENDING_INPUT_REQUESTS });
    if (reply.kind === 'terminal') throw new TaskTerminalError(taskId, reply.status, 'add input request');
    if (reply.kind === 'full') throw input.pendingInputsFull(taskId);
    if (reply.kind !== 'ok') throw new TaskNotFoundError(taskId);
    this.#learned(taskId, reply.stored);
    return { task: reply.stored.task, statusChanged: reply.statusChanged };
  }

  async removeInputRequest(taskId: string, key: string, scope?: TaskScope): Promise<InputRequestChange | null> {
    this.#assertOpen();
    if (!plausibleId(taskId)) throw new TaskNotFoundError(String(taskId));
    if (typeof key !== 'string' || key.length === 0) return null;
    const reply = await this.#scripts.changeInputRequest({ taskId, scope, key, maxPending: MAX_PENDING_INPUT_REQUESTS });
    if (reply.kind === 'notfound') throw new TaskNotFoundError(taskId);
    if (reply.kind !== 'ok') return null;
    this.#learned(taskId, reply.stored);
    return { task: reply.stored.task, statusChanged: reply.statusChanged };
  }

  async getInputRequests(taskId: string, scope?: TaskScope): Promise<Record<string, PendingInputRequest>> {
    this.#assertOpen();
    const pairs = plausibleId(taskId) ? await this.#scripts.readInputRequests({ taskId, scope }) : null;
    if (pairs === null) throw new TaskNotFoundError(String(taskId));
    const requests: Record<string, PendingInputRequest> = {};
    for (const [key, json] of pairs) requests[key] = decodeInputRequest(taskId, json);
    return requests;
  }

  async waitForUpdate(taskId: string, afterVersion: number, signal?: AbortSignal): Promise<TaskState | null> {
    this.#assertOpen();
    if (!plausibleId(taskId)) {
      if (signal?.aborted) throw signal.reason;
      return null;
    }
    try {
      const waiter = await this.#watches.add(taskId, signal, (state) => state === null || state.version > afterVersion);
      const known = this.#known.fact(taskId);
      if (known === undefined) await this.#refresh(taskId);
      else {
        this.#watches.wake(taskId, known.value);
        if (known.value !== null) this.#armExpiryTimer(taskId, known.until - performance.now());
      }
      const state = await waiter.promise;
      return state === null ? null : { task: state.task, version: state.version };
    } catch (err) {
      // A wait whose Redis call was cut short by close() ends like every other waiter at close.
      if (this.#closed && err instanceof RedisBackendError) throw new StoreClosedError('Task store');
      throw err;
    }
  }

  async deleteTask(taskId: string, scope?: TaskScope): Promise<boolean> {
    this.#assertOpen();
    if (!plausibleId(taskId)) return false;
    const learning = this.#known.begin(taskId);
    const deleted = await this.#abandonOnFailure(learning, () => this.#scripts.deleteTask({ taskId, scope }));
    if (deleted) this.#known.learn(learning, null);
    else this.#known.abandon(learning);
    return deleted;
  }

  async getTaskResult(taskId: string, scope?: TaskScope): Promise<Result> {
    const read = await this.#read(taskId, scope, true);
    if (read === null) throw new TaskNotFoundError(taskId);
    return input.sdkTaskResult(read.stored.task, read.outcome === null ? null : decodeOutcome(taskId, read.outcome));
  }

  async storeTaskResult(taskId: string, status: 'completed' | 'failed', result: Result, scope?: TaskScope): Promise<void> {
    await this.finishTask(taskId, { status, outcome: { kind: 'result', result } }, scope);
  }

  async updateTaskStatus(taskId: string, status: TaskStatus, statusMessage?: string, scope?: TaskScope): Promise<void> {
    input.checkStatusChange(status, statusMessage);
    await this.#transition(taskId, scope, status, statusMessage, undefined, 'update task status');
  }

  async listTasks(cursor?: string, scope?: TaskScope): Promise<{ tasks: Task[]; nextCursor?: string }> {
    this.#assertOpen();
    const keys = this.connection.keys;
    let position = 0;
    if (cursor !== undefined) {
      position = decodeCursor(cursor);
      const issued = Number((await this.connection.call((c) => c.get(keys.scope(scope).sequence))) ?? 0);
      if (position > issued) throw new InvalidCursorError();
    }
    const scopeKeys = keys.scope(scope);
    const owner = ownerOf(scope);
    const tasks: Task[] = [];
    const stale: string[] = [];
    let scanned = position;
    let last = position;
    let more = false;
    const batch = this.pageSize + 1;
    for (;;) {
      const entries = await this.connection.call((c) =>
        c.zrangebyscore(scopeKeys.list, `(${scanned}`, '+inf', 'WITHSCORES', 'LIMIT', 0, batch),
      );
      const ids: { taskId: string; seq: number }[] = [];
      for (let i = 0; i + 1 < entries.length; i += 2) ids.push({ taskId: entries[i]!, seq: Number(entries[i + 1]) });
      // (a page's reads are not kept as known: nobody waits on what was only listed)
      const reads = await Promise.all(ids.map(({ taskId }) => this.#scripts.readTask({ taskId, withOutcome: false })));
      for (let i = 0; i < ids.length && !more; i++) {
        const { taskId, seq } = ids[i]!;
        const read = reads[i]!;
        scanned = seq;
        if (read === null || read.stored.owner !== owner) {
          stale.push(taskId);
          continue;
        }
        if (tasks.length === this.pageSize) {
          more = true;
          break;
        }
        tasks.push(read.stored.task);
        last = seq;
      }
      if (more || ids.length < batch) break;
    }
    if (stale.length > 0) {
      // Index entries of expired tasks: removed lazily (the creation script prunes them too).
      await this.#scripts.unindexTasks({ scope, taskIds: stale });
    }
    return more ? { tasks, nextCursor: encodeCursor(last) } : { tasks };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watches.close(new StoreClosedError('Task store'));
    for (const timer of this.#expiryTimers.values()) clearTimeout(timer);
    this.#expiryTimers.clear();
    await this.connection.detach();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('Task store');
  }

  /**
   * The outcome of a task of `scope` known to be terminal, without a read: `null` for a cancelled
   * task (it never has one), the outcome this process stored, or `undefined` when it must be read.
   */
  #knownOutcome(taskId: string, scope: TaskScope): TaskOutcome | null | undefined {
    this.#assertOpen();
    const known = plausibleId(taskId) ? this.#known.get(taskId) : undefined;
    if (known === undefined || known === null || known.owner !== ownerOf(scope) || !isTerminal(known.task.status)) return undefined;
    if (known.task.status === 'cancelled') return null;
    const json = this.#outcomes.get(taskId);
    return json === undefined ? undefined : decodeOutcome(taskId, json);
  }

  /** Reads a task (not checking its owner), and keeps what it read as known; `null` when it does not exist. */
  async #readRaw(taskId: string, withOutcome: boolean): Promise<TaskRead | null> {
    const learning = this.#known.begin(taskId);
    const sentAt = performance.now();
    const read = await this.#abandonOnFailure(learning, () => this.#scripts.readTask({ taskId, withOutcome }));
    if (read === null) this.#known.learn(learning, null);
    else this.#known.learn(learning, read.stored, read.pttl < 0 ? Number.POSITIVE_INFINITY : sentAt + read.pttl);
    return read;
  }

  /** Reads a task of `scope`; `null` when unknown, expired or another scope's. */
  async #read(taskId: string, scope: TaskScope, withOutcome: boolean): Promise<TaskRead | null> {
    this.#assertOpen();
    if (!plausibleId(taskId)) return null;
    const read = await this.#readRaw(taskId, withOutcome);
    return read === null || read.stored.owner !== ownerOf(scope) ? null : read;
  }

  /** Runs the transition script and maps its refusals to the typed errors. */
  async #transition(
    taskId: string,
    scope: TaskScope,
    status: TaskStatus | undefined,
    statusMessage: string | undefined,
    outcome: string | undefined,
    action: string,
  ): Promise<Task> {
    this.#assertOpen();
    if (!plausibleId(taskId)) throw new TaskNotFoundError(String(taskId));
    const reply = await this.#scripts.transitionTask({ taskId, scope, status, statusMessage, outcome });
    if (reply.kind === 'notfound' || reply.kind === 'leased') throw new TaskNotFoundError(taskId);
    if (reply.kind === 'terminal') throw new TaskTerminalError(taskId, reply.status, action);
    const stored = reply.stored;
    // Waiters in this process learn it from the published event too; waking them now saves the trip.
    this.#learned(taskId, stored);
    // Its outcome is kept as long as its terminal state is known.
    if (outcome !== undefined && this.#known.get(taskId)?.version === stored.version) this.#outcomes.keep(taskId, outcome);
    return stored.task;
  }

  /** A new state of a task (a change made here, or its message): kept if known, and its waiters woken. */
  #learned(taskId: string, state: StoredTask | null): void {
    this.#known.touch(taskId, state);
    this.#watches.wake(taskId, state);
  }

  /** Runs the command of `learning`; if it fails, the learning is abandoned. */
  async #abandonOnFailure<T>(learning: Learning, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      this.#known.abandon(learning);
      throw err;
    }
  }

  /**
   * Re-reads a watched task and wakes its waiters (with `null` once it is gone); while it is
   * watched, arms one timer at its expiry. A failed read rejects the task's waiters.
   */
  async #refresh(taskId: string): Promise<void> {
    let read: TaskRead | null;
    try {
      read = await this.connection.whenReady(() => this.#readRaw(taskId, false));
    } catch (err) {
      this.#watches.rejectKey(taskId, err);
      return;
    }
    this.#watches.wake(taskId, read === null ? null : read.stored);
    if (read !== null && read.pttl >= 0) this.#armExpiryTimer(taskId, read.pttl);
  }

  /** While the task is watched, arms one timer that re-reads it once it should have expired (`remainingMs` from now). */
  #armExpiryTimer(taskId: string, remainingMs: number): void {
    if (!Number.isFinite(remainingMs) || !this.#watches.has(taskId) || this.#expiryTimers.has(taskId)) return;
    const timer = setTimeout(
      () => {
        this.#expiryTimers.delete(taskId);
        void this.#refresh(taskId);
      },
      Math.min(Math.max(0, remainingMs) + 1, MAX_TIMER_DELAY),
    );
    timer.unref();
    this.#expiryTimers.set(taskId, timer);
  }

  #clearExpiryTimer(taskId: string): void {
    const timer = this.#expiryTimers.get(taskId);
    if (timer !== undefined) clearTimeout(timer);
    this.#expiryTimers.delete(taskId);
  }
}
