/**
 * Status notifications (`notifications/tasks/status`, R57–R60) for the tasks a session created:
 * each task is followed in the store, so a change made anywhere (another process's cancel, a lease
 * expiry) reaches the session, until the task is terminal or gone, or the session closes.
 */
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { INITIAL_TASK_VERSION } from '../core/taskStore.js';
import type { TaskFollow } from '../runtime/taskWatch.js';
import type { TaskSupport } from '../runtime/taskSupport.js';

/** Notifies one session of the changes of the tasks it created. */
export class StatusNotifier {
  readonly #runtime: Pick<TaskSupport, 'follow'>;
  readonly #send: (task: Task) => void;
  /** The follow of each watched task, by task id. */
  readonly #watched = new Map<string, TaskFollow>();
  /** The follows of each session, stopped together when it ends: one abort listener per session, not per task. */
  readonly #sessions = new WeakMap<AbortSignal, Set<TaskFollow>>();

  /** `send` delivers one notification and never throws. */
  constructor(runtime: Pick<TaskSupport, 'follow'>, send: (task: Task) => void) {
    this.#runtime = runtime;
    this.#send = send;
  }

  /** How many tasks are followed for notifications now. */
  get watchedCount(): number {
    return this.#watched.size;
  }

  /** Whether the session is told of this task's changes by its watch. */
  isWatched(taskId: string): boolean {
    return this.#watched.has(taskId);
  }

  /** Sends one notification now. */
  notify(task: Task): void {
    this.#send(task);
  }

  /**
   * Follows a task the session just created (at its first version) and notifies every change of
   * status or status message, until the task is terminal or gone, or `session` aborts. `observe`
   * sees each notified state too (the binding's own use of the same watch).
   */
  watch(task: Task, session: AbortSignal, observe?: (task: Task) => void): void {
    if (session.aborted) return;
    const taskId = task.taskId;
    let last: Pick<Task, 'status' | 'statusMessage'> = task;
    const follow = this.#runtime.follow(taskId, INITIAL_TASK_VERSION, ({ task: changed }) => {
      if (changed.status === last.status && changed.statusMessage === last.statusMessage) return;
      last = changed;
      this.#send(changed);
      observe?.(changed);
    });
    this.#watched.set(taskId, follow);
    const follows = this.#followsOf(session);
    follows.add(follow);
    void follow.done.then(() => {
      follows.delete(follow);
      if (this.#watched.get(taskId) === follow) this.#watched.delete(taskId);
    });
  }

  /** The follows of `session`, stopped when it aborts. */
  #followsOf(session: AbortSignal): Set<TaskFollow> {
    const known = this.#sessions.get(session);
    if (known !== undefined) return known;
    const follows = new Set<TaskFollow>();
    this.#sessions.set(session, follows);
    session.addEventListener(
      'abort',
      () => {
        for (const follow of follows) follow.stop();
      },
      { once: true },
    );
    return follows;
  }
}
