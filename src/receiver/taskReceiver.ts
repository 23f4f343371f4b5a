/**
 * `TaskReceiver`: the 2025-11-25 receiver of tasks, written once over a store and the runtime and
 * used by both bindings (a server's tool tasks, a client's hosted elicitation and sampling tasks):
 * `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel`, with audit events.
 */
import type { ListTasksResult, Result, Task } from '@modelcontextprotocol/sdk/types.js';
import { TaskCancelledError, TaskNotFoundError, TaskOutcomeError, TaskTerminalError } from '../core/errors.js';
import { isTerminal } from '../core/status.js';
import type { TaskScope } from '../core/taskStore.js';
import { auditFields, emitTaskEvent, type TaskEvent, type TaskEventListener } from '../runtime/audit.js';
import type { SideChannelDelivery } from '../runtime/sideChannel.js';
import type { TaskSupport } from '../runtime/taskSupport.js';
import { TaskResultHandler } from './resultHandler.js';
import type { StatusNotifier } from './statusNotifier.js';

/** What a {@link TaskReceiver} works with. */
export interface TaskReceiverOptions {
  readonly support: TaskSupport;
  /** Milliseconds a delivered side-channel request may wait for its answer. */
  readonly sideChannelTimeout: number;
  /** The session's notifier: a cancel is notified by it (R71 asks for a notification). */
  readonly notifier: StatusNotifier;
  /** The binding's audit listener, besides the runtime's. */
  readonly onTaskEvent?: TaskEventListener | undefined;
}


/** Serves the `tasks/*` requests of one session. */
export class TaskReceiver {
  readonly #options: TaskReceiverOptions;
  readonly #results: TaskResultHandler;
  /** Whether a hook receives audit events (without one, none is built). */
  readonly #auditing: boolean;

  constructor(options: TaskReceiverOptions) {
    this.#options = options;
    this.#results = new TaskResultHandler(options.support);
    this.#auditing = options.support.auditing || options.onTaskEvent !== undefined;
  }

  /** Hands an audit event to the runtime's hook and the binding's; never throws. */
  report(event: TaskEvent): void {
    this.#options.support.reportTaskEvent(event);
    emitTaskEvent(this.#options.onTaskEvent, event);
  }

  /** `tasks/get` (R36, R70). */
  async getTask(taskId: string, scope: TaskScope): Promise<Task> {
    const task = await this.#options.support.store.getTask(taskId, scope);
    if (task === null) {
      if (this.#auditing) this.report({ type: 'unknown-task', ...auditFields(taskId, scope), method: 'tasks/get' });
      throw new TaskNotFoundError(taskId);
    }
    return task;
  }

  /** `tasks/result` (R48–R51): blocks until terminal, delivering side-channel messages through `delivery`. */
  async taskResult(taskId: string, scope: TaskScope, delivery: SideChannelDelivery, signal?: AbortSignal): Promise<Result> {
    try {
      const result = await this.#results.handle(taskId, {
        scope,
        delivery,
        sideChannelTimeout: this.#options.sideChannelTimeout,
        ...(signal === undefined ? {} : { signal }),
      });
      if (this.#auditing) this.report({ type: 'result-retrieved', ...auditFields(taskId, scope), outcome: 'result' });
      return result;
    } catch (error) {
      if (error instanceof TaskNotFoundError) {
        if (this.#auditing) this.report({ type: 'unknown-task', ...auditFields(taskId, scope), method: 'tasks/result' });
      } else if (error instanceof TaskOutcomeError || error instanceof TaskCancelledError) {
        if (this.#auditing) this.report({ type: 'result-retrieved', ...auditFields(taskId, scope), outcome: 'error' });
      }
      throw error;
    }
  }

  /** `tasks/list`: the scope's tasks, one page (R63–R68). */
  async listTasks(cursor: string | undefined, scope: TaskScope): Promise<ListTasksResult> {
    const page = await this.#options.support.store.listTasks(cursor, scope);
    return page.nextCursor === undefined ? { tasks: page.tasks } : { tasks: page.tasks, nextCursor: page.nextCursor };
  }

  /** `tasks/cancel`: `cancelled` before the answer, work aborted (in this process; others follow the store), notified (R69–R72). */
  async cancelTask(taskId: string, scope: TaskScope): Promise<Task> {
    const { support, notifier } = this.#options;
    const current = await support.store.getTask(taskId, scope);
    if (current === null) {
      if (this.#auditing) this.report({ type: 'unknown-task', ...auditFields(taskId, scope), method: 'tasks/cancel' });
      throw new TaskNotFoundError(taskId);
    }
    if (isTerminal(current.status)) throw new TaskTerminalError(taskId, current.status, 'cancel task');
    // a task this session follows is notified by its watch; checked before the change ends the watch
    const watched = notifier.isWatched(taskId);
    const task = await support.cancelTask(taskId, scope);
    if (this.#auditing) this.report({ type: 'cancelled', ...auditFields(taskId, scope) });
    if (!watched) notifier.notify(task);
    return task;
  }
}
