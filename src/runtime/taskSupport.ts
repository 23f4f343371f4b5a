/**
 * `TaskSupport`: the task runtime of one process (Python's `TaskSupport`): the backends (store,
 * queue, response channel, leases), the {@link SideChannel} that carries requests to requestors and
 * their answers back, and the {@link TaskGroup} of background work. One instance is shared by every
 * server that serves the same tasks (Streamable HTTP creates one `Server` per session); background
 * work belongs to it, never to a session. It knows no wire revision: the bindings use it.
 */
import { setMaxListeners } from 'node:events';
import type { Result, Task } from '@modelcontextprotocol/sdk/types.js';
import { StoreUnavailableError } from '../core/errors.js';
import type { TaskLeases } from '../core/leases.js';
import type { TaskMessageQueue, TaskMessageQueueOptions, TaskResponseChannel } from '../core/messageQueue.js';
import type { TaskScope, TaskState, TaskStore, TaskStoreOptions } from '../core/taskStore.js';
import { InMemoryTaskMessageQueue, InMemoryTaskResponseChannel, InMemoryTaskStore } from '../stores/memory/index.js';
import type { RedisBackendOptions, RedisTarget } from '../stores/redis/index.js';
import { emitTaskEvent, type TaskEvent, type TaskEventListener } from './audit.js';
import { TaskSupportClosedError } from './errors.js';
import { SideChannel } from './sideChannel.js';
import { TaskGroup, type TaskWork } from './taskGroup.js';
import { startTask, type StartTaskSpec } from './taskRunner.js';
import { followTask, NOT_FOLLOWED, type TaskFollow } from './taskWatch.js';

/** The status message a task gets when its requestor cancels it. */
export const CANCELLED_STATUS_MESSAGE = 'Cancelled by the requestor (tasks/cancel)';

/** Default: how long `close()` waits for work that ignores its abort signal (5 s). */
export const DEFAULT_SHUTDOWN_GRACE = 5_000;

/** A Redis URL without its user name and password, for messages. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
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
  /**
   * Resolve without checking that Redis answers (requests then fail with -32603 until it does).
   * Default false: `TaskSupport.redis()` rejects when Redis cannot be reached.
   */
  lazyConnect?: boolean;
}

/** The task runtime: backends, side channel and task group. `close()` aborts the running work and waits for it. */
export class TaskSupport {
  readonly store: TaskStore;
  readonly queue: TaskMessageQueue;
  readonly responseChannel: TaskResponseChannel;
  readonly leases: TaskLeases | undefined;
  /** Delivers queued side-channel messages and routes the requestors' answers. */
  readonly sideChannel: SideChannel;
  readonly #group: TaskGroup;
  readonly #watchers = new Set<TaskFollow>();
  readonly #shutdownGrace: number;
  readonly #ownsBackends: boolean;
  readonly #closeBackends: (() => Promise<void>) | undefined;
  readonly #onTaskEvent: TaskEventListener | undefined;
  /** Aborted once `close()` has let the running work end (outcome writes give up then). */
  readonly #stopping = new AbortController();
  #closing: Promise<void> | undefined;

  constructor(options: TaskSupportOptions) {
    // every task waiting out a store outage listens here (taskRunner's retry pause)
    setMaxListeners(0, this.#stopping.signal);
    this.store = options.store;
    this.queue = options.queue;
    this.responseChannel = options.responseChannel;
    this.leases = options.leases;
    this.#shutdownGrace = options.shutdownGrace ?? DEFAULT_SHUTDOWN_GRACE;
    this.#ownsBackends = options.ownsBackends ?? false;
    this.#closeBackends = options.closeBackends;
    this.#onTaskEvent = options.onTaskEvent;
    this.sideChannel = new SideChannel(this);
    this.#group = new TaskGroup(this);
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
   * (`close()` closes only the pub/sub connection duplicated from it). Resolves once Redis answers
   * (rejects with `StoreUnavailableError`, -32603, when it cannot be reached), unless `lazyConnect`.
   * The Redis module (and ioredis) is loaded only when this is called.
   */
  static async redis(urlOrClient: RedisTarget, options: RedisTaskSupportOptions = {}): Promise<TaskSupport> {
    const { shutdownGrace, onTaskEvent, lazyConnect, ...backendOptions } = options;
    const { createRedisBackend } = await import('../stores/redis/index.js');
    const backend = createRedisBackend(urlOrClient, backendOptions);
    if (lazyConnect !== true) {
      try {
        await backend.connection.ping();
      } catch (error) {
        await backend.close().catch(() => undefined);
        const where = typeof urlOrClient === 'string' ? ` at ${redactedUrl(urlOrClient)}` : '';
        throw new StoreUnavailableError(`Cannot reach Redis${where}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
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

  /** Whether an `onTaskEvent` hook receives audit events (without one, nobody builds them). */
  get auditing(): boolean {
    return this.#onTaskEvent !== undefined;
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
    return this.#group.size;
  }

  /** How many store watchers ({@link watchTask}) are active right now. */
  get watchingCount(): number {
    return this.#watchers.size;
  }

  /** Whether this process runs the task's work right now. */
  isRunning(taskId: string): boolean {
    return this.#group.has(taskId);
  }

  /**
   * Creates a task (durably: `tasks/get` finds it once this resolves), runs `spec.work` in the
   * background and stores its outcome when it ends. `onTaskEvent` gets the binding's copy of the
   * audit events besides this runtime's hook. Throws `TaskSupportClosedError` after `close()`, and
   * the store's errors (`TaskLimitError`, -32600, when a limit is reached, R89).
   */
  startTask<R extends Result>(spec: StartTaskSpec<R>, onTaskEvent?: TaskEventListener): Promise<Task> {
    // not async: startTask's promise is the answer; a closed runtime still answers with a rejection
    if (this.closed) return Promise.reject(new TaskSupportClosedError());
    return startTask(
      {
        store: this.store,
        group: this.#group,
        stopping: this.#stopping.signal,
        // no hook, no events: nothing is built for nobody
        ...(this.auditing || onTaskEvent !== undefined
          ? {
              report: (event: TaskEvent) => {
                this.reportTaskEvent(event);
                emitTaskEvent(onTaskEvent, event);
              },
            }
          : {}),
      },
      spec,
    );
  }

  /**
   * Runs `work` in the background as the work of task `taskId` (whose state is at `version`).
   * Its signal is aborted when the task becomes terminal without it (cancelled, or failed by a lease
   * expiry) or disappears — by any process: the store is followed —, or on `close()`. Takes the
   * task's lease first if there are leases; if that fails, `work` does not run and `onStartFailure`
   * gets the error (to mark the task failed). `work` calls `settling()` once it has ended and writes
   * its own outcome (the store is not followed for it any more). {@link startTask} uses it; never rejects.
   */
  spawn(taskId: string, version: number, work: TaskWork, onStartFailure?: (error: unknown) => Promise<void>): void {
    if (this.closed) throw new TaskSupportClosedError();
    this.#group.spawn(taskId, version, work, onStartFailure);
  }

  /**
   * Cancels a task for its requestor, whichever revision asks: `cancelled` in the store (with
   * {@link CANCELLED_STATUS_MESSAGE}) before this resolves, and its work aborted here (other
   * processes follow the store). Throws `TaskNotFoundError` (-32602) for an unknown task and
   * `TaskTerminalError` (-32602) for one that has already ended.
   */
  async cancelTask(taskId: string, scope: TaskScope): Promise<Task> {
    const task = await this.store.updateTask(taskId, { status: 'cancelled', statusMessage: CANCELLED_STATUS_MESSAGE }, scope);
    this.abort(taskId, 'cancelled');
    return task;
  }

  /** Resolves once this process's work of the task has ended (at once if it runs none). */
  settled(taskId: string): Promise<void> {
    return this.#group.settled(taskId);
  }

  /** Aborts this process's work of a task (after a local `tasks/cancel`). False if not running here. */
  abort(taskId: string, reason: 'cancelled' | 'expired' = 'cancelled'): boolean {
    return this.#group.abort(taskId, reason);
  }

  /**
   * Follows a task's changes in the store, whichever process makes them: `onChange` gets each new
   * state (changes made in quick succession may arrive as one, the latest) until the task is
   * terminal (that state included) or gone. Ends when the task ends, when `signal` aborts, or on
   * `close()` (after the running work has ended, so that its final state is still seen). `onChange`
   * must not throw (a throw is ignored). The returned promise resolves when the watch has ended.
   */
  watchTask(taskId: string, afterVersion: number, onChange: (state: TaskState) => void, signal?: AbortSignal): Promise<void> {
    return this.follow(taskId, afterVersion, onChange, signal).done;
  }

  /**
   * {@link watchTask} as a handle: the watch also ends when its `stop()` is called (so that a
   * caller ending many watches at once needs no signal, and no listener, per watch).
   */
  follow(taskId: string, afterVersion: number, onChange: (state: TaskState) => void, signal?: AbortSignal): TaskFollow {
    if (this.closed || signal?.aborted) return NOT_FOLLOWED;
    const onState = (state: TaskState | null): void => {
      if (state !== null) onChange(state);
    };
    const follow = followTask(this.store, taskId, afterVersion, onState, signal);
    if (follow === NOT_FOLLOWED) return follow;
    this.#watchers.add(follow);
    void follow.done.then(() => this.#watchers.delete(follow));
    return follow;
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
    await this.#group.close(this.#shutdownGrace);
    this.#stopping.abort();
    for (const watcher of this.#watchers) watcher.stop();
    this.sideChannel.close();
    if (this.#closeBackends) {
      await this.#closeBackends().catch(() => undefined);
    } else if (this.#ownsBackends) {
      await Promise.allSettled([this.leases?.close(), this.queue.close(), this.responseChannel.close()]);
      await Promise.allSettled([this.store.close()]);
    }
  }
}
