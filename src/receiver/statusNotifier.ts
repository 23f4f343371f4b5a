/**
 * Status notifications (`notifications/tasks/status`, R57–R60) for the tasks a session created:
 * each task is followed in the store, so a change made anywhere (another process's cancel, a lease
 * expiry) reaches the session, until the task is terminal or gone, or the session closes.
 */
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { INITIAL_TASK_VERSION } from '../core/taskStore.js';
import type { TaskSupport } from '../runtime/taskSupport.js';

/** Notifies one session of the changes of the tasks it created. */
export class StatusNotifier {
  readonly #runtime: Pick<TaskSupport, 'watchTask'>;
  readonly #send: (task: Task) => void;
  readonly #watched = new Set<string>();

  /** `send` delivers one notification and never throws. */
  constructor(runtime: Pick<TaskSupport, 'watchTask'>, send: (task: Task) => void) {
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
    const taskId = task.taskId;
    let last: Pick<Task, 'status' | 'statusMessage'> = task;
    this.#watched.add(taskId);
    void this.#runtime
      .watchTask(
        taskId,
        INITIAL_TASK_VERSION,
        ({ task: changed }) => {
          if (changed.status === last.status && changed.statusMessage === last.statusMessage) return;
          last = changed;
          this.#send(changed);
          observe?.(changed);
        },
        session,
      )
      .then(() => this.#watched.delete(taskId));
  }
}
