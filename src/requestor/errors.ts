/** Typed errors of the client task layer (they extend the core `TaskError`). */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../core/errors.js';

/**
 * The caller's own `timeout` for `wait()` / `result()` ran out (F8: independent of the SDK's 60 s
 * request default). The task itself goes on; code -32001 (request timeout).
 */
export class TaskWaitTimeoutError extends TaskError {
  readonly taskId: string | undefined;
  readonly timeout: number;
  constructor(taskId: string | undefined, timeout: number) {
    super(ErrorCode.RequestTimeout, `Timed out after ${timeout} ms waiting for task ${taskId ?? '(none)'}`, { timeout });
    this.taskId = taskId;
    this.timeout = timeout;
  }
}
