/**
 * `TaskSupport`: the backends of the task runtime (store, queue, response channel, leases), the one
 * {@link TaskResultHandler}, and the group of background work this process runs. One instance is
 * shared by every `Server` that serves the same tasks (Streamable HTTP creates one `Server` per
 * session); background work belongs to it, never to a session (Python pitfall §7.8).
 */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { StoreClosedError, TaskError } from '../core/errors.js';
import type { TaskLeases } from '../core/leases.js';
import type { TaskMessageQueue, TaskMessageQueueOptions, TaskResponseChannel } from '../core/messageQueue.js';
import { isTerminal } from '../core/status.js';
import type { TaskState, TaskStore, TaskStoreOptions } from '../core/taskStore.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../stores/memory/index.js';
import type { RedisBackendOptions, RedisClient } from '../stores/redis/index.js';
import { emitTaskEvent, type TaskEvent, type TaskEventListener } from './audit.js';
import { TaskResultHandler } from './resultHandler.js';

/** Default: how long `close()` waits for work that ignores its abort signal (5 s). */
export const DEFAULT_SHUTDOWN_GRACE = 5_000;

/** First pause before a task watch waits again after the store failed (ms); it doubles per failure. */
const FIRST_WATCH_RETRY_DELAY = 100;
/** Longest pause between a task watch's attempts while the store keeps failing (ms). */
const MAX_WATCH_RETRY_DELAY = 5_000;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Options of {@link TaskSupport}. */
export interface TaskSupportOptions {
  store: TaskStore;
  queue: TaskMessageQueue;
  responseChannel: TaskResponseChannel;
  /** Leases for shared backends, so a crashed process's tasks fail instead of hanging. */
  leases?: TaskLeases;
  /** Milliseconds `close()` waits for work that ignores its abort signal. Default 5,000. */
  shutdownGrace?: number;
  /** Close the store, queue, response channel and leases in `close()`. Default false (true for `inMemory()`). */
  ownsBackends?: boolean;
  /**
   * Called by `close()` (after the running work has ended) to close the backends, instead of
   * closing the four parts one by one (`TaskSupport.redis()` closes its Redis backend with it).
   */
  closeBackends?: () => Promise<void>;
  /**
   * Receives the audit events of every server using this runtime (R90): created, status changed,
   * finished, cancelled, result retrieved, lookup of an unknown id. Whatever it throws is ignored.
   */
  onTaskEvent?: TaskEventListener;
}

/** Options of {@link TaskSupport.inMemory}. */
export interface InMemoryTaskSupportOptions extends TaskStoreOptions, TaskMessageQueueOptions {
  shutdownGrace?: number;
  onTaskEvent?: TaskEventListener;
}

/** Options of {@link TaskSupport.redis}: the Redis backend's options plus the runtime's. */
export interface RedisTaskSupportOptions extends RedisBackendOptions {
  shutdownGrace?: number;
  onTaskEvent?: TaskEventListener;
}

/** Why a task's work was aborted; the reason of its `signal`. */
export class TaskAbortedError extends TaskError {
  readonly reason: 'cancelled' | 'expired' | 'shutdown' | 'ended';
  constructor(reason: 'cancelled' | 'expired' | 'shutdown' | 'ended', taskId: string) {
    const text = {
      cancelled: `Task ${taskId} was cancelled`,
      ended: `Task ${taskId} was ended by someone else (it is terminal in the store)`,
      expired: `Task ${taskId} expired (its ttl elapsed) before it finished`,
      shutdown: `The server shut down before task ${taskId} finished`,
    }[reason];
    super(ErrorCode.InternalError, text);
    this.reason = reason;
  }
}

/** The runtime's error when work is started on a closed `TaskSupport`. */
export class TaskSupportClosedError extends TaskError {
  constructor() {
    super(ErrorCode.InternalError, 'The task runtime is shutting down: no new tasks are accepted');
  }
}

interface RunningTask {
  readonly controller: AbortController;
  done: Promise<void>;
}

/**
 * Holds the store, the queue, the response channel and the `TaskResultHandler`, and runs the
 * background work of tasks. `close()` aborts the running work and waits for it.
 */
export class TaskSupport {
  readonly store: TaskStore;
  readonly queue: TaskMessageQueue;
  readonly responseChannel: TaskResponseChannel;
  readonly leases: TaskLeases | undefined;
  readonly handler: TaskResultHandler;
  readonly #running = new Map<string, RunningTask>();
  readonly #watchers = new Set<AbortController>();
  readonly #shutdownGrace: number;
  readonly #ownsBackends: boolean;
  readonly #closeBackends: (() => Promise<void>) | undefined;
  readonly #onTaskEvent: TaskEventListener | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: TaskSupportOptions) {
    this.store = options.store;
    this.queue = options.queue;
    this.responseChannel = options.responseChannel;
    this.leases = options.leases;
    this.#shutdownGrace = options.shutdownGrace ?? DEFAULT_SHUTDOWN_GRACE;
    this.#ownsBackends = options.ownsBackends ?? false;
    this.#closeBackends = options.closeBackends;
    this.#onTaskEvent = options.onTaskEvent;
    this.handler = new TaskResultHandler(this);
  }

  /** A runtime on fresh in-memory backends (single process), closed together with it. */
  static inMemory(options: InMemoryTaskSupportOptions = {}): TaskSupport {
    const { shutdownGrace, maxMessagesPerTask, onTaskEvent, ...storeOptions } = options;
    return new TaskSupport({
      store: new InMemoryTaskStore(storeOptions),
      queue: new InMemoryTaskMessageQueue(maxMessagesPerTask === undefined ? {} : { maxMessagesPerTask }),
      responseChannel: new InMemoryTaskResponseChannel(),
      ownsBackends: true,
      ...(shutdownGrace === undefined ? {} : { shutdownGrace }),
      ...(onTaskEvent === undefined ? {} : { onTaskEvent }),
    });
  }

  /**
   * A runtime on a Redis backend (`createRedisBackend`: store, queue, response channel and leases
   * on shared connections), for several processes sharing tasks. `urlOrClient` is a Redis URL (the
   * connections are opened here and closed by `close()`) or an ioredis client that stays yours
   * (`close()` closes only the pub/sub connection duplicated from it). The Redis module (and
   * ioredis) is loaded only when this is called.
   */
  static async redis(urlOrClient: string | RedisClient, options: RedisTaskSupportOptions = {}): Promise<TaskSupport> {
    const { shutdownGrace, onTaskEvent, ...backendOptions } = options;
    const { createRedisBackend } = await import('../stores/redis/index.js');
    const backend = createRedisBackend(urlOrClient, backendOptions);
    return new TaskSupport({
      store: backend.store,
      queue: backend.queue,
      responseChannel: backend.responseChannel,
      leases: backend.leases,
      closeBackends: () => backend.close(),
      ...(shutdownGrace === undefined ? {} : { shutdownGrace }),
      ...(onTaskEvent === undefined ? {} : { onTaskEvent }),
    });
  }

  /** Hands an audit event to the `onTaskEvent` hook, if any; never throws. */
  reportTaskEvent(event: TaskEvent): void {
    emitTaskEvent(this.#onTaskEvent, event);
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** How many tasks this process is running right now. */
  get runningCount(): number {
    return this.#running.size;
  }

  /** How many store watchers ({@link watchTask}) are active right now. */
  get watchingCount(): number {
    return this.#watchers.size;
  }

  /** Whether this process runs the task's work right now. */
  isRunning(taskId: string): boolean {
    return this.#running.has(taskId);
  }

  /**
   * Runs `work` in the background as the work of task `taskId` (whose state is at `version`).
   * Its signal is aborted when the task becomes terminal without it (cancelled, or failed by a lease
   * expiry) or disappears — by any process: the store is watched —, or on `close()`.
   * Takes the task's lease first if there are leases; if that fails, `work` does not run and
   * `onStartFailure` gets the error (to mark the task failed). Never rejects.
   */
  spawn(
    taskId: string,
    version: number,
    work: (signal: AbortSignal) => Promise<void>,
    onStartFailure?: (error: unknown) => Promise<void>,
  ): void {
    if (this.closed) throw new TaskSupportClosedError();
    const controller = new AbortController();
    const entry: RunningTask = { controller, done: Promise.resolve() };
    this.#running.set(taskId, entry);
    entry.done = this.#run(taskId, version, controller, work, onStartFailure).finally(() => {
      if (this.#running.get(taskId) === entry) this.#running.delete(taskId);
    });
  }

  /** Resolves once this process's work of the task has ended (at once if it runs none). */
  async settled(taskId: string): Promise<void> {
    await this.#running.get(taskId)?.done;
  }

  /** Aborts this process's work of a task (after a local `tasks/cancel`). False if not running here. */
  abort(taskId: string, reason: 'cancelled' | 'expired' = 'cancelled'): boolean {
    const entry = this.#running.get(taskId);
    if (!entry) return false;
    if (!entry.controller.signal.aborted) entry.controller.abort(new TaskAbortedError(reason, taskId));
    return true;
  }

  /**
   * Follows a task's changes in the store, whichever process makes them: `onChange` gets each new
   * state (changes made in quick succession may arrive as one, the latest) until the task is
   * terminal (that state included) or gone. Waits on `store.waitForUpdate` (no polling). Ends when
   * the task ends, when `signal` aborts, or on `close()` (after the running work has ended, so
   * that its final state is still seen). `onChange` must not throw (a throw is ignored). The
   * returned promise resolves when the watch has ended; it never rejects.
   */
  watchTask(taskId: string, afterVersion: number, onChange: (state: TaskState) => void, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted) return Promise.resolve();
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    this.#watchers.add(controller);
    const onState = (state: TaskState | null): void => {
      if (state !== null) onChange(state);
    };
    return this.#follow(taskId, afterVersion, onState, controller.signal).finally(() => {
      this.#watchers.delete(controller);
      signal?.removeEventListener('abort', stop);
    });
  }

  /**
   * The one loop that follows a task in the store: `onChange` gets each new state until the task is
   * terminal (that state included), or `null` once it is gone. A failing backend (e.g. Redis
   * reconnecting) does not end the watch: it waits again after a pause that grows to
   * {@link MAX_WATCH_RETRY_DELAY}, so a cancel made elsewhere still reaches the work. Ends on
   * `signal` or when the store is closed; never rejects.
   */
  async #follow(taskId: string, afterVersion: number, onChange: (state: TaskState | null) => void, signal: AbortSignal): Promise<void> {
    let after = afterVersion;
    let retryDelay = FIRST_WATCH_RETRY_DELAY;
    while (!signal.aborted) {
      let state: TaskState | null;
      try {
        state = await this.store.waitForUpdate(taskId, after, signal);
      } catch (error) {
        if (signal.aborted || error instanceof StoreClosedError) return;
        await pause(retryDelay, signal);
        retryDelay = Math.min(retryDelay * 2, MAX_WATCH_RETRY_DELAY);
        continue;
      }
      retryDelay = FIRST_WATCH_RETRY_DELAY;
      try {
        onChange(state);
      } catch {
        // a watcher's callback must not end the watch
      }
      if (state === null || isTerminal(state.task.status)) return;
      after = state.version;
    }
  }

  /**
   * Stops accepting tasks, aborts all running work, waits for it (at most `shutdownGrace` ms for
   * work that ignores its signal), and closes the backends it owns. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const entries = [...this.#running.entries()];
    for (const [taskId, entry] of entries) {
      if (!entry.controller.signal.aborted) entry.controller.abort(new TaskAbortedError('shutdown', taskId));
    }
    const all = Promise.allSettled(entries.map(([, entry]) => entry.done));
    let timer: NodeJS.Timeout | undefined;
    // not unref'd: a process whose last step is `await close()` must not exit (code 13) before it returns
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#shutdownGrace);
    });
    await Promise.race([all, grace]);
    clearTimeout(timer);
    for (const watcher of this.#watchers) watcher.abort();
    this.handler.close();
    if (this.#closeBackends) {
      await this.#closeBackends().catch(() => undefined);
    } else if (this.#ownsBackends) {
      await Promise.allSettled([this.leases?.close(), this.queue.close(), this.responseChannel.close()]);
      await Promise.allSettled([this.store.close()]);
    }
  }

  async #run(
    taskId: string,
    version: number,
    controller: AbortController,
    work: (signal: AbortSignal) => Promise<void>,
    onStartFailure: ((error: unknown) => Promise<void>) | undefined,
  ): Promise<void> {
    const watching = new AbortController();
    try {
      try {
        if (this.leases) await this.leases.acquire(taskId);
      } catch (error) {
        await onStartFailure?.(error).catch(() => undefined);
        return;
      }
      void this.#watch(taskId, version, controller, watching.signal);
      await work(controller.signal);
    } catch {
      // `work` reports its own outcome
    } finally {
      watching.abort();
      await this.#release(taskId);
    }
  }

  /** Aborts the work when the store says the task is terminal (cancelled, …) or gone (any process). */
  #watch(taskId: string, version: number, controller: AbortController, signal: AbortSignal): Promise<void> {
    return this.#follow(
      taskId,
      version,
      (state) => {
        if (controller.signal.aborted) return;
        // after our own finishTask the work has already ended and the abort changes nothing
        if (state === null) controller.abort(new TaskAbortedError('expired', taskId));
        else if (isTerminal(state.task.status)) {
          controller.abort(new TaskAbortedError(state.task.status === 'cancelled' ? 'cancelled' : 'ended', taskId));
        }
      },
      signal,
    );
  }

  async #release(taskId: string): Promise<void> {
    try {
      await this.queue.dequeueAll(taskId);
    } catch {
      // the queue may already be closed
    }
    if (this.leases) {
      try {
        await this.leases.release(taskId);
      } catch {
        // a lost lease expires by itself
      }
    }
  }
}
