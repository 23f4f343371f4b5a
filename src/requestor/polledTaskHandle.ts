/**
 * The handle on a task the receiver created. Waiting polls `tasks/get` at the receiver's
 * `pollInterval` (R44) until the task is terminal (R45), wakes early on `notifications/tasks/status`
 * without depending on them (R58, R59), and on `input_required` calls `tasks/result` so that
 * side-channel requests can flow (R31); if that call fails while the task is not terminal, polling
 * goes on (R46). One poller per handle runs only while somebody waits, iterates or listens; nothing
 * runs while idle.
 */
import { CancelTaskResultSchema, GetTaskResultSchema, type CreateTaskResult, type Task, type TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { MAX_TIMER_DELAY, pause } from '../core/pause.js';
import { isTerminal } from '../core/status.js';
import { withDeadline } from './deadline.js';
import {
  DEFAULT_CLIENT_POLL_INTERVAL,
  DEFAULT_REQUEST_TIMEOUT,
  MIN_POLL_INTERVAL,
  type CreatedTaskHandle,
  type HandleRequestOptions,
  type ResultOptions,
  type TaskHandleOptions,
  type WaitOptions,
} from './handleTypes.js';
import { assertPeerDeclares, requestLinked, type RequestPeer } from './peer.js';
import { subscribeTaskStatus } from './statusNotifications.js';

type Outcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

function statusSet(state: WaitOptions['state']): ReadonlySet<TaskStatus> | undefined {
  if (state === undefined) return undefined;
  return new Set(typeof state === 'string' ? [state] : state);
}

/** The handle on a created task. Build one with {@link createTaskHandle}. */
export class PolledTaskHandle<S extends z.ZodType> implements CreatedTaskHandle<z.output<S>> {
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
  #outcome: Outcome<z.output<S>> | undefined;
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

  result(options: ResultOptions = {}): Promise<z.output<S>> {
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

  /** Waits `ms`, or until the task ends or the poller is woken early (a notification, a result). */
  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    const wake = new AbortController();
    const onAbort = (): void => wake.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#wakePoller = onAbort;
    try {
      await pause(ms, wake.signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.#wakePoller === onAbort) this.#wakePoller = undefined;
    }
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
          { signal, timeout: MAX_TIMER_DELAY },
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
