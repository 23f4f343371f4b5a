/**
 * `InMemoryTaskStore`: the embedded default {@link TaskStore}, for one process.
 *
 * - Owner scopes are exact-match (see the core contract); listing walks one scope's own index.
 * - TTL counts from creation whatever the status. Expired tasks are dropped lazily on every read,
 *   and a single unref'd timer (armed only while some task has an expiry) drops them in the
 *   background, for the earliest expiry first. No per-task timers; nothing runs while idle.
 * - Results are stored as copies and every returned `Task` is a fresh object.
 */
import type { Request, RequestId, Result, Task, TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import { decodeCursor, encodeCursor } from '../../core/cursor.js';
import { InvalidCursorError, StoreClosedError, TaskNotFoundError, TaskTerminalError } from '../../core/errors.js';
import { generateTaskId } from '../../core/ids.js';
import { MAX_TIMER_DELAY } from '../../core/pause.js';
import * as input from '../../core/storeInput.js';
import { isTerminal } from '../../core/status.js';
import { INITIAL_TASK_VERSION, MAX_PENDING_INPUT_REQUESTS, type InputRequestChange, type PendingInputRequest } from '../../core/taskStore.js';
import type { CreateTaskOptions, FinishTaskInput, TaskOutcome, TaskScope, TaskState, TaskStore, TaskStoreLimits, TaskStoreOptions, TaskSubscriber, TaskUpdate } from '../../core/taskStore.js';
import { expiresAt, resolveTtl, type TtlPolicy } from '../../core/ttl.js';
import { ExpiryHeap } from './expiryHeap.js';
import { KeyedWaiters } from '../keyedWaiters.js';
import { ScopeIndex } from './scopeIndex.js';
import { deliver, gone, TaskSubscriptions } from './subscriptions.js';
import { cloneValue } from './clone.js';

/** What the store keeps per task (never handed out). */
interface TaskRecord {
  readonly taskId: string;
  /** Creation sequence number: the task's position in its scope's listing. */
  readonly seq: number;
  readonly scope: TaskScope;
  readonly createdAt: string;
  readonly ttl: number | null;
  readonly expiresAt: number | null;
  readonly pollInterval: number;
  status: TaskStatus;
  statusMessage: string | undefined;
  lastUpdatedMs: number;
  /** `lastUpdatedMs` as the ISO string every returned `Task` carries (formatted once per change, not per read). */
  lastUpdatedAt: string;
  version: number;
  outcome: TaskOutcome | undefined;
  /** Pending input requests by key, in the order they were added. */
  readonly inputs: Map<string, PendingInputRequest>;
}

/** A copy of a value that holds no references into the caller's objects. */
function copy<T>(value: T, what: string): T {
  try {
    return cloneValue(value);
  } catch (err) {
    throw input.invalidParams(`${what} cannot be stored (${String(err)})`);
  }
}

/** An in-process {@link TaskStore}; hand it to an SDK `Server` / `McpServer` as `taskStore` too. */
export class InMemoryTaskStore implements TaskStore {
  /** The TTL policy this store applies. */
  readonly ttlPolicy: TtlPolicy;
  /** The limits this store enforces at creation. */
  readonly limits: Readonly<TaskStoreLimits>;
  /** `tasks/list` page size. */
  readonly pageSize: number;
  /** `pollInterval` reported for tasks created without one. */
  readonly defaultPollInterval: number;

  readonly #tasks = new Map<string, TaskRecord>();
  readonly #bySeq = new Map<number, TaskRecord>();
  readonly #scopes = new Map<TaskScope, ScopeIndex>();
  readonly #expiry = new ExpiryHeap();
  readonly #waiters = new KeyedWaiters<string, TaskState | null>();
  readonly #subscriptions = new TaskSubscriptions();
  /** Live tasks that have an expiry. */
  #expiring = 0;
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;

  constructor(options: TaskStoreOptions = {}) {
    ({ ttlPolicy: this.ttlPolicy, limits: this.limits, pageSize: this.pageSize, defaultPollInterval: this.defaultPollInterval } =
      input.resolveStoreOptions(options));
  }

  /** Number of live tasks held (all scopes; expired tasks not yet swept count until dropped). */
  get size(): number {
    return this.#tasks.size;
  }

  async createTask(taskParams: CreateTaskOptions, _requestId: RequestId, _request: Request, scope?: TaskScope): Promise<Task> {
    this.#assertOpen();
    const now = Date.now();
    this.#sweep(now);
    const { maxTasks, maxActiveTasksPerScope } = this.limits;
    if (this.#tasks.size >= maxTasks) throw input.taskLimitError('maxTasks', maxTasks);
    let index = this.#scopes.get(scope);
    if (index !== undefined && index.active >= maxActiveTasksPerScope) throw input.taskLimitError('maxActiveTasksPerScope', maxActiveTasksPerScope);
    const requested = taskParams?.ttl;
    const ttl = resolveTtl(typeof requested === 'number' || requested === null ? requested : undefined, this.ttlPolicy);
    const createdAt = new Date(now).toISOString();
    let taskId = generateTaskId();
    while (this.#tasks.has(taskId)) taskId = generateTaskId();
    const record: TaskRecord = {
      taskId,
      seq: ++this.#seq,
      scope,
      createdAt,
      ttl,
      expiresAt: expiresAt(now, ttl),
      pollInterval: input.resolvePollInterval(taskParams?.pollInterval, this.defaultPollInterval),
      status: 'working',
      statusMessage: undefined,
      lastUpdatedMs: now,
      lastUpdatedAt: createdAt,
      version: INITIAL_TASK_VERSION,
      outcome: undefined,
      inputs: new Map(),
    };
    this.#tasks.set(taskId, record);
    this.#bySeq.set(record.seq, record);
    if (index === undefined) {
      index = new ScopeIndex();
      this.#scopes.set(scope, index);
    }
    index.add(record.seq);
    index.active++;
    if (record.expiresAt !== null) {
      this.#expiring++;
      this.#expiry.push({ at: record.expiresAt, seq: record.seq });
      this.#schedule();
    }
    return toTask(record);
  }

  async getTask(taskId: string, scope?: TaskScope): Promise<Task | null> {
    const record = this.#read(taskId, scope);
    return record === undefined ? null : toTask(record);
  }

  async getTaskState(taskId: string, scope?: TaskScope): Promise<TaskState | null> {
    const record = this.#read(taskId, scope);
    return record === undefined ? null : toState(record);
  }

  async updateTask(taskId: string, update: TaskUpdate, scope?: TaskScope): Promise<Task> {
    const record = this.#readForChange(taskId, scope, 'update task');
    const { status, statusMessage } = input.checkTaskUpdate(update);
    this.#change(record, status ?? record.status, statusMessage, undefined);
    return toTask(record);
  }

  async finishTask(taskId: string, finish: FinishTaskInput, scope?: TaskScope): Promise<Task> {
    const record = this.#readForChange(taskId, scope, 'store result');
    const { status, statusMessage, outcome } = input.checkFinishInput(finish);
    this.#change(record, status, statusMessage, copy(outcome, 'Task outcome'));
    return toTask(record);
  }

  async getTaskOutcome(taskId: string, scope?: TaskScope): Promise<TaskOutcome | null> {
    const record = this.#read(taskId, scope);
    if (record === undefined) throw new TaskNotFoundError(taskId);
    return record.outcome === undefined ? null : cloneValue(record.outcome);
  }

  async addInputRequest(taskId: string, key: string, request: PendingInputRequest, scope?: TaskScope): Promise<InputRequestChange> {
    const record = this.#readForChange(taskId, scope, 'add input request');
    input.checkInputRequestKey(key);
    const pending = copy(input.checkInputRequest(request), 'Input request');
    if (!record.inputs.has(key) && record.inputs.size >= MAX_PENDING_INPUT_REQUESTS) throw input.pendingInputsFull(taskId);
    record.inputs.set(key, pending);
    const statusChanged = record.status !== 'input_required';
    this.#change(record, 'input_required', undefined, undefined);
    return { task: toTask(record), statusChanged };
  }

  async removeInputRequest(taskId: string, key: string, scope?: TaskScope): Promise<InputRequestChange | null> {
    const record = this.#read(taskId, scope);
    if (record === undefined) throw new TaskNotFoundError(taskId);
    if (isTerminal(record.status) || !record.inputs.delete(key)) return null;
    const statusChanged = record.inputs.size === 0 && record.status === 'input_required';
    this.#change(record, statusChanged ? 'working' : record.status, undefined, undefined);
    return { task: toTask(record), statusChanged };
  }

  async getInputRequests(taskId: string, scope?: TaskScope): Promise<Record<string, PendingInputRequest>> {
    const record = this.#read(taskId, scope);
    if (record === undefined) throw new TaskNotFoundError(taskId);
    if (record.status !== 'input_required') return {};
    return cloneValue(Object.fromEntries(record.inputs));
  }

  async waitForUpdate(taskId: string, afterVersion: number, signal?: AbortSignal): Promise<TaskState | null> {
    this.#assertOpen();
    if (typeof afterVersion !== 'number' || Number.isNaN(afterVersion)) throw input.invalidParams('afterVersion must be a number');
    const waiter = this.#waiters.add(taskId, signal, (state) => state === null || state.version > afterVersion);
    const record = this.#read(taskId, undefined, false);
    if (record === undefined) waiter.resolve(null);
    else if (record.version > afterVersion) waiter.resolve(toState(record));
    return waiter.promise;
  }

  subscribe(taskId: string, afterVersion: number, subscriber: TaskSubscriber): () => void {
    this.#assertOpen();
    if (typeof afterVersion !== 'number' || Number.isNaN(afterVersion)) throw input.invalidParams('afterVersion must be a number');
    const record = this.#read(taskId, undefined, false);
    if (record === undefined) return gone(subscriber);
    const { subscription, unsubscribe } = this.#subscriptions.add(taskId, subscriber);
    if (record.version > afterVersion) deliver(subscription, toState(record));
    return unsubscribe;
  }

  async deleteTask(taskId: string, scope?: TaskScope): Promise<boolean> {
    const record = this.#read(taskId, scope);
    if (record === undefined) return false;
    this.#remove(record);
    this.#schedule();
    return true;
  }

  async getTaskResult(taskId: string, scope?: TaskScope): Promise<Result> {
    const record = this.#read(taskId, scope);
    if (record === undefined) throw new TaskNotFoundError(taskId);
    return input.sdkTaskResult(record, cloneValue(record.outcome));
  }

  async storeTaskResult(taskId: string, status: 'completed' | 'failed', result: Result, scope?: TaskScope): Promise<void> {
    await this.finishTask(taskId, { status, outcome: { kind: 'result', result } }, scope);
  }

  async updateTaskStatus(taskId: string, status: TaskStatus, statusMessage?: string, scope?: TaskScope): Promise<void> {
    const record = this.#readForChange(taskId, scope, 'update task status');
    input.checkStatusChange(status, statusMessage);
    this.#change(record, status, statusMessage, undefined);
  }

  async listTasks(cursor?: string, scope?: TaskScope): Promise<{ tasks: Task[]; nextCursor?: string }> {
    this.#assertOpen();
    let position = 0;
    if (cursor !== undefined) {
      position = decodeCursor(cursor);
      if (position > this.#seq) throw new InvalidCursorError();
    }
    const index = this.#scopes.get(scope);
    if (index === undefined) return { tasks: [] };
    const now = Date.now();
    const tasks: Task[] = [];
    const expired: TaskRecord[] = [];
    let last = position;
    let more = false;
    for (let i = index.firstAfter(position); ; i++) {
      const seq = index.at(i);
      if (seq === undefined) break;
      const record = this.#bySeq.get(seq);
      if (record === undefined) continue;
      if (record.expiresAt !== null && now >= record.expiresAt) {
        expired.push(record);
        continue;
      }
      if (tasks.length === this.pageSize) {
        more = true;
        break;
      }
      tasks.push(toTask(record));
      last = seq;
    }
    // Removed after the walk: removal may compact the index being walked.
    for (const record of expired) this.#remove(record);
    if (expired.length > 0) this.#schedule();
    return more ? { tasks, nextCursor: encodeCursor(last) } : { tasks };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimer();
    this.#waiters.rejectAll(new StoreClosedError('Task store'));
    this.#subscriptions.close();
    this.#tasks.clear();
    this.#bySeq.clear();
    this.#scopes.clear();
    this.#expiry.clear();
    this.#expiring = 0;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('Task store');
  }

  /**
   * The live task with this id, after lazy expiry; `undefined` if unknown, expired or (when
   * `checkScope`) in another scope.
   */
  #read(taskId: string, scope: TaskScope, checkScope = true): TaskRecord | undefined {
    this.#assertOpen();
    const record = this.#tasks.get(taskId);
    if (record === undefined) return undefined;
    if (record.expiresAt !== null && Date.now() >= record.expiresAt) {
      this.#remove(record);
      this.#schedule();
      return undefined;
    }
    if (checkScope && record.scope !== scope) return undefined;
    return record;
  }

  /** The live, non-terminal task to change; throws the typed "not found" / "terminal" errors. */
  #readForChange(taskId: string, scope: TaskScope, action: string): TaskRecord {
    const record = this.#read(taskId, scope);
    if (record === undefined) throw new TaskNotFoundError(taskId);
    if (isTerminal(record.status)) throw new TaskTerminalError(taskId, record.status, action);
    return record;
  }

  /** Applies one change: status, message, outcome, version, `lastUpdatedAt`; wakes waiters. */
  #change(record: TaskRecord, status: TaskStatus, statusMessage: string | undefined, outcome: TaskOutcome | undefined): void {
    if (isTerminal(status) && !isTerminal(record.status)) {
      this.#scopes.get(record.scope)!.active--;
      record.inputs.clear();
    }
    record.status = status;
    if (statusMessage !== undefined) record.statusMessage = statusMessage;
    if (outcome !== undefined) record.outcome = outcome;
    record.version++;
    // Strictly later than the previous value, so `lastUpdatedAt` moves even within one millisecond.
    record.lastUpdatedMs = Math.max(Date.now(), record.lastUpdatedMs + 1);
    record.lastUpdatedAt = new Date(record.lastUpdatedMs).toISOString();
    const state = toState(record);
    this.#waiters.wake(record.taskId, state);
    this.#subscriptions.publish(record.taskId, state);
  }

  /** Forgets a task (expired or deleted) and wakes its waiters with `null`. */
  #remove(record: TaskRecord): void {
    this.#tasks.delete(record.taskId);
    this.#bySeq.delete(record.seq);
    const index = this.#scopes.get(record.scope)!;
    if (!isTerminal(record.status)) index.active--;
    index.remove((seq) => this.#bySeq.has(seq));
    if (index.live === 0) this.#scopes.delete(record.scope);
    if (record.expiresAt !== null) this.#expiring--;
    this.#waiters.wake(record.taskId, null);
    this.#subscriptions.publish(record.taskId, null);
  }

  /** Drops every task that has expired by `now`, earliest first. */
  #sweep(now: number): void {
    let removed = false;
    for (let top = this.#expiry.peek(); top !== undefined && top.at <= now; top = this.#expiry.peek()) {
      this.#expiry.pop();
      const record = this.#bySeq.get(top.seq);
      if (record !== undefined) {
        this.#remove(record);
        removed = true;
      }
    }
    if (removed) this.#schedule();
  }

  /** Arms the one timer for the earliest live expiry, or clears it when no task has an expiry. */
  #schedule(): void {
    const heap = this.#expiry;
    if (heap.size > 2 * this.#expiring + 64) {
      const live: { at: number; seq: number }[] = [];
      for (const record of this.#bySeq.values()) {
        if (record.expiresAt !== null) live.push({ at: record.expiresAt, seq: record.seq });
      }
      heap.rebuild(live);
    }
    let top = heap.peek();
    while (top !== undefined && !this.#bySeq.has(top.seq)) {
      heap.pop();
      top = heap.peek();
    }
    if (top === undefined) {
      this.#clearTimer();
      return;
    }
    if (this.#timer !== undefined && this.#timerAt <= top.at) return;
    this.#clearTimer();
    const now = Date.now();
    const delay = Math.min(Math.max(0, top.at - now), MAX_TIMER_DELAY);
    this.#timerAt = now + delay;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#sweep(Date.now());
      this.#schedule();
    }, delay);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  /** How many `subscribe` subscriptions are active (for tests and diagnostics). */
  get subscriptionCount(): number {
    return this.#subscriptions.size;
  }

  /** Whether the store's single expiry timer is armed (for tests and diagnostics). */
  get timerArmed(): boolean {
    return this.#timer !== undefined;
  }
}

/** The wire `Task` for a record: a fresh object with no internal fields. */
function toTask(record: TaskRecord): Task {
  const task: Task = {
    taskId: record.taskId,
    status: record.status,
    createdAt: record.createdAt,
    lastUpdatedAt: record.lastUpdatedAt,
    ttl: record.ttl,
    pollInterval: record.pollInterval,
  };
  if (record.statusMessage !== undefined) task.statusMessage = record.statusMessage;
  return task;
}

function toState(record: TaskRecord): TaskState {
  return { task: toTask(record), version: record.version };
}
