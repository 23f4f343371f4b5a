/** The handle on a request the receiver answered directly (graceful degradation, R20). */
import type { Task } from '@modelcontextprotocol/sdk/types.js';
import { TaskTerminalError } from '../core/errors.js';
import type { ImmediateTaskHandle, ResultOptions, WaitOptions } from './handleTypes.js';

/** The handle on a plain result; its synthetic task is `completed` (or `failed` for `isError`). */
export class ImmediateHandle<R> implements ImmediateTaskHandle<R> {
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
