/**
 * Task handles: what a requestor holds after sending a task-augmented request (a tool call, or a
 * server's elicitation / sampling request). Written once over {@link RequestPeer}, so it serves
 * both directions.
 *
 * Waiting polls `tasks/get` at the receiver's `pollInterval` (R44) until the task is terminal
 * (R45), wakes early on `notifications/tasks/status` without depending on them (R58, R59), and on
 * `input_required` calls `tasks/result` so that side-channel requests can flow (R31); if that call
 * fails while the task is not terminal, polling goes on (R46). One poller per handle runs only
 * while somebody waits, iterates or listens; nothing runs while idle.
 */
import {
  CancelTaskResultSchema,
  GetTaskResultSchema,
  type CreateTaskResult,
  type Result,
  type Task,
  type TaskStatus,
} from '@modelcontextprotocol/sdk/types.js';
import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { TaskTerminalError } from '../core/errors.js';
import { isTerminal } from '../core/status.js';
import { TaskWaitTimeoutError } from './errors.js';
import { assertPeerDeclares, NO_TIMEOUT, requestLinked, type RequestPeer } from './peer.js';
import { subscribeTaskStatus } from './statusNotifications.js';

/** Options of {@link TaskHandle.wait}. */
export interface WaitOptions {
  /**
   * Resolve once the task is in this status (or one of these). Default: any terminal status.
   * A terminal status always resolves the wait, whether requested or not.
   */
  state?: TaskStatus | readonly TaskStatus[];
  /** The caller's own timeout in ms; rejects with {@link TaskWaitTimeoutError}. Default: none. */
  timeout?: number;
  /** Stops waiting (rejects with the signal's reason); the task goes on. */
  signal?: AbortSignal;
}

/** Options of {@link TaskHandle.result}. */
export interface ResultOptions {
  /** The caller's own timeout in ms; rejects with {@link TaskWaitTimeoutError}. Default: none. */
  timeout?: number;
  /** Stops waiting (rejects with the signal's reason); the task goes on. */
  signal?: AbortSignal;
}

/** Options of a single request made by a handle (`status()`, `cancel()`). */
export interface HandleRequestOptions {
  /** Timeout in ms of this one request. Default: the handle's `requestTimeout`. */
  timeout?: number;
  signal?: AbortSignal;
}

/** What every handle offers, whether a task was created or the receiver answered at once. */
export interface TaskHandleBase<R> {
  /** True when the receiver answered with a plain result instead of creating a task. */
  readonly returnedImmediately: boolean;
  /** The task id; `undefined` when {@link returnedImmediately}. */
  readonly taskId: string | undefined;
  /** The latest known state of the task (no request is made). */
  readonly task: Task;
  /** Asks the receiver for the task's current state (`tasks/get`). */
  status(options?: HandleRequestOptions): Promise<Task>;
  /** Waits until the task is in `options.state` or terminal, and returns its state. */
  wait(options?: WaitOptions): Promise<Task>;
  /**
   * The underlying request's result: for a tool, the `CallToolResult` of a `completed` task, and of
   * a `failed` task whose result is an `isError` result. Otherwise throws the very JSON-RPC error the
   * receiver returned from `tasks/result` (an SDK `McpError` with its code and data), never a
   * generic "task failed" (typescript-sdk #1922).
   */
  result(options?: ResultOptions): Promise<R>;
  /**
   * Cancels the task with `tasks/cancel` (R75) and returns the cancelled task. Fails with
   * `CapabilityMissingError` before sending when the receiver did not declare `tasks.cancel`.
   */
  cancel(options?: HandleRequestOptions): Promise<Task>;
  /**
   * Calls `listener` on every change of status or status message until the task is terminal.
   * Watching keeps the handle polling. Returns the function that stops it.
   */
  onStatusChange(listener: (task: Task) => void): () => void;
  /** Yields the current state, then every change, and ends after the terminal state. */
  [Symbol.asyncIterator](): AsyncIterator<Task>;
}

/** A handle on a task the receiver created. */
export interface CreatedTaskHandle<R> extends TaskHandleBase<R> {
  readonly returnedImmediately: false;
  readonly taskId: string;
  /** The receiver's `CreateTaskResult` (its `_meta` may hold a model-immediate-response, R18). */
  readonly createResult: CreateTaskResult;
}

/** A handle on a request the receiver answered directly (graceful degradation, R20). */
export interface ImmediateTaskHandle<R> extends TaskHandleBase<R> {
  readonly returnedImmediately: true;
  readonly taskId: undefined;
}

/** A task handle: narrow on `returnedImmediately` to get a `string` task id. */
export type TaskHandle<R> = CreatedTaskHandle<R> | ImmediateTaskHandle<R>;

/** Tuning shared by every handle. */
export interface TaskHandleOptions {
  /** Poll interval in ms when the receiver gives none. Default 1,000. Never below 5 ms. */
  defaultPollInterval?: number;
  /** Timeout in ms of each `tasks/get` / `tasks/cancel` request. Default 60,000. */
  requestTimeout?: number;
  /** Whether to subscribe to `notifications/tasks/status` for early wake-ups. Default true. */
  statusNotifications?: boolean;
}

/** Poll interval (ms) used when the receiver suggests none. */
export const DEFAULT_CLIENT_POLL_INTERVAL = 1_000;
/** Timeout (ms) of each `tasks/get` / `tasks/cancel` request made by a handle. */
export const DEFAULT_REQUEST_TIMEOUT = 60_000;
/** Floor of the poll interval, so a receiver suggesting 0 cannot make a handle flood it. */
export const MIN_POLL_INTERVAL = 5;

type Outcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

function statusSet(state: WaitOptions['state']): ReadonlySet<TaskStatus> | undefined {
  if (state === undefined) return undefined;
  return new Set(typeof state === 'string' ? [state] : state);
}

/** Runs `body` with a signal that aborts on the caller's signal or timeout; unlinks afterwards. */
async function withDeadline<T>(
  taskId: string | undefined,
  options: { timeout?: number | undefined; signal?: AbortSignal | undefined },
  body: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { timeout, signal } = options;
  signal?.throwIfAborted();
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new RangeError('timeout must be a non-negative number of milliseconds');
  }
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => controller.abort(new TaskWaitTimeoutError(taskId, timeout)), Math.min(timeout, NO_TIMEOUT));
  try {
    return await body(controller.signal);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The handle on a created task. Build one with {@link createTaskHandle}. */
class PolledTaskHandle<S extends AnySchema> implements CreatedTaskHandle<SchemaOutput<S>> {
  readonly returnedImmediately = false as const;
  readonly taskId: string;
  readonly createResult: CreateTaskResult;
  readonly #peer: RequestPeer;
  readonly #schema: S;
  readonly #pollDefault: number;
  readonly #requestTimeout: number;
  readonly #useNotifications: boolean;

  #latest: Task;
  #emitted: { status: TaskStatus; statusMessage: string | undefined } | undefined;
  #outcome: Outcome<SchemaOutput<S>> | undefined;
  #failure: { seq: number; error: unknown } | undefined;
  #failureSeq = 0;
  readonly #changeWaiters = new Set<() => void>();
  readonly #listeners = new Set<(task: Task) => void>();
  #consumers = 0;
  #activity: AbortController | undefined;
  #polling = false;
  #lastPollAt: number;
  #wakePoller: (() => void) | undefined;
  #resultCall: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(peer: RequestPeer, createResult: CreateTaskResult, schema: S, options: TaskHandleOptions) {
    this.#peer = peer;
    this.#schema = schema;
    this.createResult = createResult;
    this.taskId = createResult.task.taskId;
    this.#latest = createResult.task;
    this.#pollDefault = options.defaultPollInterval ?? DEFAULT_CLIENT_POLL_INTERVAL;
    this.#requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
    this.#useNotifications = options.statusNotifications ?? true;
    this.#lastPollAt = Date.now();
  }

  get task(): Task {
    return this.#latest;
  }

  async status(options: HandleRequestOptions = {}): Promise<Task> {
    const task = await this.#fetchTask(options.signal, options.timeout);
    this.#publish(task);
    return this.#latest;
  }

  wait(options: WaitOptions = {}): Promise<Task> {
    const wanted = statusSet(options.state);
    return this.#consume(options, async (next, since) => {
      for (;;) {
        const task = this.#latest;
        if (isTerminal(task.status) || wanted?.has(task.status)) return task;
        this.#throwFailureSince(since);
        await next();
      }
    });
  }

  result(options: ResultOptions = {}): Promise<SchemaOutput<S>> {
    return this.#consume(options, async (next, since) => {
      for (;;) {
        const outcome = this.#outcome;
        if (outcome !== undefined) {
          if (outcome.ok) return outcome.value;
          throw outcome.error;
        }
        this.#throwFailureSince(since);
        // The blocking tasks/result answers as soon as the task ends (and carries its side-channel
        // requests meanwhile), so ask at once rather than after a poll interval; polling goes on
        // beside it, and takes over if the call fails (R46).
        this.#startResultCall();
        await next();
      }
    });
  }

  async cancel(options: HandleRequestOptions = {}): Promise<Task> {
    assertPeerDeclares(this.#peer, 'cancel');
    const cancelled = await requestLinked(
      this.#peer,
      { method: 'tasks/cancel', params: { taskId: this.taskId } },
      CancelTaskResultSchema,
      { signal: options.signal, timeout: options.timeout ?? this.#requestTimeout },
    );
    const { _meta: _ignored, ...task } = cancelled;
    this.#publish(task as Task);
    return this.#latest;
  }

  onStatusChange(listener: (task: Task) => void): () => void {
    const wrapped = (task: Task): void => listener(task);
    this.#listeners.add(wrapped);
    this.#acquire();
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.#listeners.delete(wrapped);
      this.#release();
    };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Task> {
    const pending: Task[] = [this.#latest];
    const stop = this.onStatusChange((task) => pending.push(task));
    const since = this.#failureSeq;
    try {
      for (;;) {
        const task = pending.shift();
        if (task !== undefined) {
          yield task;
          if (isTerminal(task.status)) return;
          continue;
        }
        this.#throwFailureSince(since);
        await this.#nextChange(undefined);
      }
    } finally {
      stop();
    }
  }

  // ---- consumers and the poller -------------------------------------------------------------

  async #consume<T>(
    options: { timeout?: number | undefined; signal?: AbortSignal | undefined },
    body: (next: () => Promise<void>, since: number) => Promise<T>,
  ): Promise<T> {
    return withDeadline(this.taskId, options, async (signal) => {
      const since = this.#failureSeq;
      this.#acquire();
      try {
        return await body(() => this.#nextChange(signal), since);
      } finally {
        this.#release();
      }
    });
  }

  #acquire(): void {
    this.#consumers += 1;
    if (this.#activity === undefined) {
      this.#activity = new AbortController();
      if (this.#useNotifications && this.#unsubscribe === undefined) {
        this.#unsubscribe = subscribeTaskStatus(this.#peer, this.taskId, (task) => this.#onNotification(task));
      }
    }
    this.#startPoller();
  }

  #release(): void {
    this.#consumers -= 1;
    if (this.#consumers > 0) return;
    this.#activity?.abort();
    this.#activity = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #startPoller(): void {
    const activity = this.#activity;
    if (this.#polling || activity === undefined || isTerminal(this.#latest.status)) return;
    this.#polling = true;
    void this.#pollLoop(activity.signal).finally(() => {
      this.#polling = false;
      // Consumers that arrived while an aborted loop wound down need a poller of their own.
      if (this.#activity !== undefined && this.#activity !== activity) this.#startPoller();
    });
  }

  async #pollLoop(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted && !isTerminal(this.#latest.status)) {
        await this.#sleep(this.#lastPollAt + this.#pollInterval() - Date.now(), signal);
        if (signal.aborted || isTerminal(this.#latest.status)) return;
        this.#lastPollAt = Date.now();
        const task = await this.#fetchTask(signal);
        this.#publish(task);
        if (task.status === 'input_required') this.#startResultCall();
      }
    } catch (error) {
      if (!signal.aborted) this.#fail(error);
    }
  }

  /** The receiver's `pollInterval` (R44), or the default; never below {@link MIN_POLL_INTERVAL}. */
  #pollInterval(): number {
    const suggested = this.#latest.pollInterval;
    const interval = typeof suggested === 'number' && Number.isFinite(suggested) ? suggested : this.#pollDefault;
    return Math.max(MIN_POLL_INTERVAL, interval);
  }

  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.#wakePoller === done) this.#wakePoller = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.min(ms, NO_TIMEOUT));
      signal.addEventListener('abort', done, { once: true });
      this.#wakePoller = done;
    });
  }

  #fetchTask(signal: AbortSignal | undefined, timeout = this.#requestTimeout): Promise<Task> {
    return requestLinked(this.#peer, { method: 'tasks/get', params: { taskId: this.taskId } }, GetTaskResultSchema, {
      signal,
      timeout,
    }).then(({ _meta: _ignored, ...task }) => task as Task);
  }

  /** Calls `tasks/result` once at a time: on `input_required` (R31) and to fetch the outcome. */
  #startResultCall(): void {
    const activity = this.#activity;
    if (this.#resultCall !== undefined || this.#outcome !== undefined || activity === undefined) return;
    const signal = activity.signal;
    this.#resultCall = (async () => {
      try {
        const value = await requestLinked(
          this.#peer,
          { method: 'tasks/result', params: { taskId: this.taskId } },
          this.#schema,
          { signal, timeout: NO_TIMEOUT },
        );
        this.#outcome = { ok: true, value };
        this.#wakePoller?.();
      } catch (error) {
        if (signal.aborted) return;
        await this.#settleFailedResultCall(error, signal);
      } finally {
        this.#resultCall = undefined;
        this.#notify();
      }
    })();
  }

  /**
   * `tasks/result` failed. If the task is terminal, that error is its outcome (R50: the very error
   * the receiver returned). Otherwise the call itself failed: keep polling (R46).
   */
  async #settleFailedResultCall(error: unknown, signal: AbortSignal): Promise<void> {
    try {
      const task = await this.#fetchTask(signal);
      this.#publish(task);
      if (isTerminal(task.status)) this.#outcome = { ok: false, error };
    } catch (pollError) {
      if (!signal.aborted) this.#fail(pollError);
    }
  }

  // ---- state changes --------------------------------------------------------------------------

  #onNotification(task: Task): void {
    this.#publish(task);
    const status = this.#latest.status;
    if (isTerminal(status)) this.#wakePoller?.();
    if (status === 'input_required') this.#startResultCall();
  }

  #publish(task: Task): void {
    if (task.taskId !== this.taskId) return;
    const current = this.#latest;
    if (isTerminal(current.status) && !isTerminal(task.status)) return;
    if (Date.parse(task.lastUpdatedAt) < Date.parse(current.lastUpdatedAt)) return;
    this.#latest = task;
    const emitted = this.#emitted ?? { status: current.status, statusMessage: current.statusMessage };
    if (emitted.status !== task.status || emitted.statusMessage !== task.statusMessage) {
      this.#emitted = { status: task.status, statusMessage: task.statusMessage };
      for (const listener of [...this.#listeners]) {
        try {
          listener(task);
        } catch {
          // a listener's failure must not stop the others or the poller
        }
      }
    }
    this.#notify();
  }

  #fail(error: unknown): void {
    this.#failureSeq += 1;
    this.#failure = { seq: this.#failureSeq, error };
    this.#notify();
  }

  #throwFailureSince(since: number): void {
    const failure = this.#failure;
    if (failure !== undefined && failure.seq > since) throw failure.error;
  }

  #notify(): void {
    const waiters = [...this.#changeWaiters];
    this.#changeWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  /** Resolves on the next state change; registered synchronously, so no wake-up is lost. */
  #nextChange(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        this.#changeWaiters.delete(waiter);
        reject(signal?.reason);
      };
      const waiter = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#changeWaiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** The handle on a plain result; its synthetic task is `completed` (or `failed` for `isError`). */
class ImmediateHandle<R> implements ImmediateTaskHandle<R> {
  readonly returnedImmediately = true as const;
  readonly taskId = undefined;
  readonly task: Task;
  readonly #result: R;

  constructor(result: R) {
    this.#result = result;
    const now = new Date().toISOString();
    const failed = typeof result === 'object' && result !== null && (result as { isError?: unknown }).isError === true;
    this.task = { taskId: '', status: failed ? 'failed' : 'completed', createdAt: now, lastUpdatedAt: now, ttl: null };
  }

  async status(): Promise<Task> {
    return this.task;
  }

  async wait(options: WaitOptions = {}): Promise<Task> {
    options.signal?.throwIfAborted();
    return this.task;
  }

  async result(options: ResultOptions = {}): Promise<R> {
    options.signal?.throwIfAborted();
    return this.#result;
  }

  async cancel(): Promise<Task> {
    throw new TaskTerminalError('', this.task.status as 'completed' | 'failed', 'cancel task');
  }

  onStatusChange(): () => void {
    return () => undefined;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Task> {
    yield this.task;
  }
}

/** Makes the handle on a task the receiver created. */
export function createTaskHandle<S extends AnySchema>(
  peer: RequestPeer,
  createResult: CreateTaskResult,
  resultSchema: S,
  options: TaskHandleOptions = {},
): CreatedTaskHandle<SchemaOutput<S>> {
  return new PolledTaskHandle(peer, createResult, resultSchema, options);
}

/** Makes the handle on a result the receiver returned directly. */
export function immediateTaskHandle<R extends Result>(result: R): ImmediateTaskHandle<R> {
  return new ImmediateHandle(result);
}
