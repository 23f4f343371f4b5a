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
 * - `waitForUpdate` subscribes to the task's channel before it reads the version (no lost
 *   wake-up), re-reads after a reconnection, and ends with `null` when the task expires (a
 *   one-shot timer at its expiry, armed only while someone waits on it). Nothing polls.
 */
import type { Request, RequestId, Result, Task, TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { decodeCursor, encodeCursor } from '../../core/cursor.js';
import {
  fromJsonRpcError,
  InvalidCursorError,
  StoreClosedError,
  TaskCancelledError,
  TaskError,
  TaskLimitError,
  TaskNotFoundError,
  TaskTerminalError,
} from '../../core/errors.js';
import { generateTaskId } from '../../core/ids.js';
import {
  checkFinalStatus,
  checkOutcome,
  checkStatus,
  checkStatusMessage,
  checkUpdateStatus,
  invalidParams,
  resolveStoreOptions,
} from '../../core/storeInput.js';
import { isTerminal, type TerminalStatus } from '../../core/status.js';
import {
  type CreateTaskOptions,
  type FinishTaskInput,
  type TaskOutcome,
  type TaskScope,
  type TaskState,
  type TaskStore,
  type TaskStoreLimits,
  type TaskStoreOptions,
  type TaskUpdate,
} from '../../core/taskStore.js';
import { resolveTtl, type TtlPolicy } from '../../core/ttl.js';
import { ChannelWatches } from './channelWatches.js';
import { decodeOutcome, encodeOutcome, parseTask, parseTaskEvent, type StoredTask } from './codec.js';
import { RedisConnection, type RedisConnectionOptions } from './connection.js';
import { RedisBackendError } from './errors.js';
import { ownerOf } from './keys.js';
import type { RedisClient } from './luaScript.js';
import { scripts } from './scripts/index.js';

/** Options of a {@link RedisTaskStore}. */
export interface RedisTaskStoreOptions extends TaskStoreOptions, RedisConnectionOptions {}

/** Most expired index entries a creation prunes from its scope's index. */
const PRUNE_BATCH = 100;
/** Longest delay `setTimeout` accepts. */
const MAX_TIMER_DELAY = 2_147_483_647;


/** Whether `taskId` can name a task at all; anything else is simply "not found". */
function plausibleId(taskId: unknown): taskId is string {
  return typeof taskId === 'string' && taskId.length > 0 && taskId.length <= 256;
}

/** Checks an outcome's shape and serializes it (throws -32602 for anything else). */
function outcomeJson(outcome: unknown): string {
  const checked = checkOutcome(outcome);
  let json: string | undefined;
  try {
    json = encodeOutcome(checked);
  } catch (err) {
    throw invalidParams(`Task outcome cannot be stored: ${err instanceof Error ? err.message : String(err)}`);
  }
  return json;
}

/** A read of one task: the task (or `null`), its remaining life and its outcome JSON. */
interface TaskRead {
  stored: StoredTask;
  /** Remaining life in ms, or -1 when it never expires. */
  pttl: number;
  outcome: string | null;
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

  readonly #watches: ChannelWatches<StoredTask | null>;
  readonly #expiryTimers = new Map<string, NodeJS.Timeout>();
  #unresync: (() => void) | undefined;
  #closed = false;

  /**
   * `redis` is a URL, an ioredis client (not closed by {@link close}) or a shared
   * {@link RedisConnection} (not closed either).
   */
  constructor(redis: string | RedisClient | RedisConnection, options: RedisTaskStoreOptions = {}) {
    ({ ttlPolicy: this.ttlPolicy, limits: this.limits, pageSize: this.pageSize, defaultPollInterval: this.defaultPollInterval } =
      resolveStoreOptions(options));
    this.connection = redis instanceof RedisConnection ? redis : RedisConnection.owned(redis, options);
    this.connection.attach();
    const keys = this.connection.keys;
    this.#watches = new ChannelWatches<StoredTask | null>({
      subscriptions: () => {
        const subscriptions = this.connection.subscriptions;
        this.#unresync ??= subscriptions.onResync(() => this.#resync());
        return subscriptions;
      },
      channelOf: (taskId) => keys.taskEvents(taskId),
      onMessage: (taskId, message) => this.#watches.wake(taskId, parseTaskEvent(taskId, message)),
      onEmpty: (taskId) => this.#clearExpiryTimer(taskId),
    });
  }

  async createTask(taskParams: CreateTaskOptions, _requestId: RequestId, _request: Request, scope?: TaskScope): Promise<Task> {
    this.#assertOpen();
    const requested = taskParams?.ttl;
    const ttl = resolveTtl(typeof requested === 'number' || requested === null ? requested : undefined, this.ttlPolicy);
    const poll = taskParams?.pollInterval;
    const pollInterval = typeof poll === 'number' && Number.isFinite(poll) && poll >= 0 ? Math.ceil(poll) : this.defaultPollInterval;
    const keys = this.connection.keys;
    const scopeKeys = keys.scope(scope);
    const { maxTasks, maxActiveTasksPerScope } = this.limits;
    for (;;) {
      const taskId = generateTaskId();
      const reply = (await this.connection.run(
        scripts.createTask,
        [keys.task(taskId), keys.allTasks(), keys.sequence(), scopeKeys.list, scopeKeys.expiry, scopeKeys.active],
        [ownerOf(scope), ttl === null ? '' : ttl, pollInterval, maxTasks, maxActiveTasksPerScope, PRUNE_BATCH, taskId],
      )) as unknown[];
      if (reply[0] === 'exists') continue; // 128 random bits collided: take another id.
      if (reply[0] === 'limit') {
        if (reply[1] === 'maxTasks') throw new TaskLimitError('maxTasks', maxTasks, `Too many tasks: the server holds at most ${maxTasks}`);
        throw new TaskLimitError(
          'maxActiveTasksPerScope',
          maxActiveTasksPerScope,
          `Too many active tasks: at most ${maxActiveTasksPerScope} unfinished tasks per requestor`,
        );
      }
      return parseTask(taskId, reply.slice(1)).task;
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
    const { status, statusMessage } = update ?? {};
    checkUpdateStatus(status);
    checkStatusMessage(statusMessage);
    return this.#transition(taskId, scope, status, statusMessage, undefined, 'update task');
  }

  async finishTask(taskId: string, input: FinishTaskInput, scope?: TaskScope): Promise<Task> {
    const { status, statusMessage } = input ?? {};
    checkFinalStatus(status);
    checkStatusMessage(statusMessage);
    return this.#transition(taskId, scope, status, statusMessage, outcomeJson(input.outcome), 'store result');
  }

  async getTaskOutcome(taskId: string, scope?: TaskScope): Promise<TaskOutcome | null> {
    const read = await this.#read(taskId, scope, true);
    if (read === null) throw new TaskNotFoundError(taskId);
    return read.outcome === null ? null : decodeOutcome(taskId, read.outcome);
  }

  async waitForUpdate(taskId: string, afterVersion: number, signal?: AbortSignal): Promise<TaskState | null> {
    this.#assertOpen();
    if (!plausibleId(taskId)) {
      if (signal?.aborted) throw signal.reason;
      return null;
    }
    try {
      const waiter = await this.#watches.add(taskId, signal, (state) => state === null || state.version > afterVersion);
      await this.#refresh(taskId);
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
    const keys = this.connection.keys;
    const scopeKeys = keys.scope(scope);
    const deleted = await this.connection.run(
      scripts.deleteTask,
      [keys.task(taskId), keys.queue(taskId), keys.allTasks(), scopeKeys.list, scopeKeys.expiry, scopeKeys.active, keys.leases()],
      [ownerOf(scope), taskId, keys.taskEvents(taskId)],
    );
    return deleted === 1;
  }

  async getTaskResult(taskId: string, scope?: TaskScope): Promise<Result> {
    const read = await this.#read(taskId, scope, true);
    if (read === null) throw new TaskNotFoundError(taskId);
    const { task } = read.stored;
    if (read.outcome !== null) {
      const outcome = decodeOutcome(taskId, read.outcome);
      if (outcome.kind === 'result') return outcome.result;
      throw fromJsonRpcError(outcome.error);
    }
    if (task.status === 'cancelled') throw new TaskCancelledError(taskId);
    if (!isTerminal(task.status)) throw invalidParams(`Task ${taskId} has no result yet (status '${task.status}')`, { taskId, status: task.status });
    const detail = task.statusMessage === undefined ? '' : `: ${task.statusMessage}`;
    throw new TaskError(ErrorCode.InternalError, `Task ${taskId} ${task.status} without a stored result${detail}`, { taskId, status: task.status });
  }

  async storeTaskResult(taskId: string, status: 'completed' | 'failed', result: Result, scope?: TaskScope): Promise<void> {
    await this.finishTask(taskId, { status, outcome: { kind: 'result', result } }, scope);
  }

  async updateTaskStatus(taskId: string, status: TaskStatus, statusMessage?: string, scope?: TaskScope): Promise<void> {
    checkStatus(status);
    checkStatusMessage(statusMessage);
    await this.#transition(taskId, scope, status, statusMessage, undefined, 'update task status');
  }

  async listTasks(cursor?: string, scope?: TaskScope): Promise<{ tasks: Task[]; nextCursor?: string }> {
    this.#assertOpen();
    const keys = this.connection.keys;
    let position = 0;
    if (cursor !== undefined) {
      position = decodeCursor(cursor);
      const issued = Number((await this.connection.call((c) => c.get(keys.sequence()))) ?? 0);
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
      const reads = await Promise.all(ids.map(({ taskId }) => this.#readRaw(taskId, false)));
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
      await this.connection.call((c) =>
        Promise.all([c.zrem(scopeKeys.list, ...stale), c.zrem(scopeKeys.expiry, ...stale), c.zrem(scopeKeys.active, ...stale)]),
      );
    }
    return more ? { tasks, nextCursor: encodeCursor(last) } : { tasks };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unresync?.();
    this.#watches.rejectAll(new StoreClosedError('Task store'));
    for (const timer of this.#expiryTimers.values()) clearTimeout(timer);
    this.#expiryTimers.clear();
    await this.connection.detach();
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('Task store');
  }

  /** Reads a task (not checking its owner); `null` when it does not exist. */
  async #readRaw(taskId: string, withOutcome: boolean): Promise<TaskRead | null> {
    const reply = (await this.connection.run(scripts.readTask, [this.connection.keys.task(taskId)], [withOutcome ? '1' : '0'])) as unknown[];
    if (reply[0] !== 'ok') return null;
    return { pttl: Number(reply[1]), outcome: typeof reply[2] === 'string' ? reply[2] : null, stored: parseTask(taskId, reply.slice(3)) };
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
    const keys = this.connection.keys;
    const reply = (await this.connection.run(
      scripts.transitionTask,
      [keys.task(taskId), keys.scope(scope).active, keys.leases()],
      [
        ownerOf(scope),
        status ?? '',
        statusMessage === undefined ? '0' : '1',
        statusMessage ?? '',
        outcome ?? '',
        keys.taskEvents(taskId),
        taskId,
        '0',
      ],
    )) as unknown[];
    if (reply[0] === 'notfound') throw new TaskNotFoundError(taskId);
    if (reply[0] === 'terminal') throw new TaskTerminalError(taskId, reply[1] as TerminalStatus, action);
    const stored = parseTask(taskId, reply.slice(1));
    // Waiters in this process learn it from the published event too; waking them now saves the trip.
    this.#watches.wake(taskId, stored);
    return stored.task;
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
    if (read === null || read.pttl < 0 || !this.#watches.has(taskId) || this.#expiryTimers.has(taskId)) return;
    const timer = setTimeout(
      () => {
        this.#expiryTimers.delete(taskId);
        void this.#refresh(taskId);
      },
      Math.min(read.pttl + 1, MAX_TIMER_DELAY),
    );
    timer.unref();
    this.#expiryTimers.set(taskId, timer);
  }

  #clearExpiryTimer(taskId: string): void {
    const timer = this.#expiryTimers.get(taskId);
    if (timer !== undefined) clearTimeout(timer);
    this.#expiryTimers.delete(taskId);
  }

  /** After a reconnection: every watched task is read again (events may have been missed). */
  #resync(): void {
    for (const taskId of this.#watches.keys()) void this.#refresh(taskId);
  }
}
