/**
 * `tasks/get`, `tasks/update` and `tasks/cancel` of the extension, over the shared store: a task is
 * the same whichever revision created it and whichever process runs it. Unknown, expired and other
 * owners' ids all get -32602 (with an `unknown-task` audit event).
 */
import { TaskNotFoundError, TaskTerminalError } from '../core/errors.js';
import type { PendingInputRequest, TaskScope } from '../core/taskStore.js';
import { parseAnswer } from '../runtime/answers.js';
import { auditFields, type TaskEvent } from '../runtime/audit.js';
import type { TaskSupport } from '../runtime/taskSupport.js';
import { detailedTask, type DetailedTask } from './wire.js';

/** How often `tasks/get` re-reads a task whose pending requests were answered between its two reads. */
const MAX_GET_ATTEMPTS = 3;

/** The extension's view of the task runtime. */
export class ExtensionTaskRequests {
  readonly #support: TaskSupport;
  readonly #report: (event: TaskEvent) => void;

  constructor(support: TaskSupport, report: (event: TaskEvent) => void) {
    this.#support = support;
    this.#report = report;
  }

  /** `tasks/get`: the task with what its status carries (outstanding requests, result or error). */
  async getTask(taskId: string, scope: TaskScope): Promise<DetailedTask> {
    const { store } = this.#support;
    for (let attempt = 1; ; attempt++) {
      const task = await this.#known(taskId, scope, 'tasks/get');
      if (task.status === 'input_required') {
        const requests = await store.getInputRequests(taskId, scope);
        // answered meanwhile (the task is `working` again): read it once more
        if (Object.keys(requests).length === 0 && attempt < MAX_GET_ATTEMPTS) continue;
        return detailedTask(task, requests, null);
      }
      const outcome = task.status === 'completed' || task.status === 'failed' ? await store.getTaskOutcome(taskId, scope) : null;
      return detailedTask(task, {}, outcome);
    }
  }

  /**
   * `tasks/update`: hands each answer to the task waiting for it (in whichever process) and takes
   * the request off the task's pending ones; the task is `working` again once none is left. Answers
   * for keys that are not pending (never issued, answered, or given up) are ignored; a malformed
   * answer to a pending one is -32602, and then none of the answers is taken.
   */
  async updateTask(taskId: string, responses: Record<string, Record<string, unknown>>, scope: TaskScope): Promise<void> {
    const { store, responseChannel } = this.#support;
    await this.#known(taskId, scope, 'tasks/update');
    const pending: Record<string, PendingInputRequest> = await store.getInputRequests(taskId, scope);
    const answers = Object.entries(responses).flatMap(([key, response]) => {
      const request = pending[key];
      return request === undefined ? [] : [{ key, result: parseAnswer(request.method, request.params, response) }];
    });
    for (const { key, result } of answers) {
      await responseChannel.publishResponse(key, { result });
      const change = await store.removeInputRequest(taskId, key, scope);
      if (change?.statusChanged) this.#report({ type: 'status', ...auditFields(taskId, scope), status: change.task.status });
    }
  }

  /** `tasks/cancel`: cancels a running task; a task that has already ended is acknowledged the same. */
  async cancelTask(taskId: string, scope: TaskScope): Promise<void> {
    try {
      await this.#support.cancelTask(taskId, scope);
      this.#report({ type: 'cancelled', ...auditFields(taskId, scope) });
    } catch (error) {
      if (error instanceof TaskTerminalError) return;
      if (error instanceof TaskNotFoundError) this.#report({ type: 'unknown-task', ...auditFields(taskId, scope), method: 'tasks/cancel' });
      throw error;
    }
  }

  async #known(taskId: string, scope: TaskScope, method: 'tasks/get' | 'tasks/update') {
    const task = await this.#support.store.getTask(taskId, scope);
    if (task === null) {
      this.#report({ type: 'unknown-task', ...auditFields(taskId, scope), method });
      throw new TaskNotFoundError(taskId);
    }
    return task;
  }
}
