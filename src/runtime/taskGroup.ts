/**
 * `TaskGroup`: the background work of the tasks this process runs (Python's task group). Work
 * belongs to the group, never to a session; it is aborted when its task becomes terminal without it
 * or disappears (by any process: the store is followed), and on `close()`.
 */
import type { TaskLeases } from '../core/leases.js';
import type { TaskMessageQueue } from '../core/messageQueue.js';
import { isTerminal } from '../core/status.js';
import type { TaskStore } from '../core/taskStore.js';
import { TaskAbortedError } from './errors.js';
import { followTask, type TaskFollow } from './taskWatch.js';

/** What the group needs from the backends. */
export interface TaskGroupBackends {
  readonly store: TaskStore;
  readonly queue: TaskMessageQueue;
  readonly leases?: TaskLeases | undefined;
}

interface RunningTask {
  readonly controller: AbortController;
  done: Promise<void>;
}

/**
 * The work of a task. `settling()` says that the work has ended and its own outcome is being
 * written: the store is no longer followed for it (the task's own completion would otherwise come
 * back as a change that aborts work that has already ended).
 */
export type TaskWork = (signal: AbortSignal, settling: () => void) => Promise<void>;

/** The work this process runs, one entry per task. */
export class TaskGroup {
  readonly #backends: TaskGroupBackends;
  readonly #running = new Map<string, RunningTask>();

  constructor(backends: TaskGroupBackends) {
    this.#backends = backends;
  }

  /** How many tasks run here now. */
  get size(): number {
    return this.#running.size;
  }

  /** Whether this process runs the task's work now. */
  has(taskId: string): boolean {
    return this.#running.has(taskId);
  }

  /**
   * Runs `work` in the background as the work of task `taskId` (whose state is at `version`). Takes
   * the task's lease first when there are leases; if that fails, `work` does not run and
   * `onStartFailure` gets the error. Releases the lease and drops the task's queue afterwards.
   */
  spawn(
    taskId: string,
    version: number,
    work: TaskWork,
    onStartFailure?: (error: unknown) => Promise<void>,
  ): void {
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

  /** Aborts this process's work of a task. False if it does not run here. */
  abort(taskId: string, reason: 'cancelled' | 'expired' | 'shutdown'): boolean {
    const entry = this.#running.get(taskId);
    if (!entry) return false;
    if (!entry.controller.signal.aborted) entry.controller.abort(new TaskAbortedError(reason, taskId));
    return true;
  }

  /** Aborts all work (reason `shutdown`) and waits for it, at most `graceMs` for work that ignores its signal. */
  async close(graceMs: number): Promise<void> {
    const taskIds = [...this.#running.keys()];
    const all = Promise.allSettled(taskIds.map((taskId) => (this.abort(taskId, 'shutdown'), this.settled(taskId))));
    let timer: NodeJS.Timeout | undefined;
    // not unref'd: a process whose last step is `await close()` must not exit (code 13) before it returns
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([all, grace]);
    clearTimeout(timer);
  }

  async #run(
    taskId: string,
    version: number,
    controller: AbortController,
    work: TaskWork,
    onStartFailure: ((error: unknown) => Promise<void>) | undefined,
  ): Promise<void> {
    const { store, leases } = this.#backends;
    let follow: TaskFollow | undefined;
    try {
      try {
        if (leases) await leases.acquire(taskId);
      } catch (error) {
        await onStartFailure?.(error).catch(() => undefined);
        return;
      }
      follow = followTask(
        store,
        taskId,
        version,
        (state) => {
          if (controller.signal.aborted) return;
          if (state === null) controller.abort(new TaskAbortedError('expired', taskId));
          else if (isTerminal(state.task.status)) {
            controller.abort(new TaskAbortedError(state.task.status === 'cancelled' ? 'cancelled' : 'ended', taskId));
          }
        },
      );
      await work(controller.signal, () => follow?.stop());
    } catch {
      // `work` reports its own outcome
    } finally {
      follow?.stop();
      await this.#release(taskId);
    }
  }

  async #release(taskId: string): Promise<void> {
    const { queue, leases } = this.#backends;
    try {
      await queue.dequeueAll(taskId);
    } catch {
      // the queue may already be closed
    }
    try {
      await leases?.release(taskId);
    } catch {
      // a lost lease expires by itself
    }
  }
}
