/** Errors of the task runtime (each carries its JSON-RPC code, like the core's typed errors). */
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { TaskError } from '../core/errors.js';

/** Why a task's work was aborted: `cancelled` by the requestor, `expired` (gone from the store), `ended` by someone else, `shutdown`. */
export type TaskAbortReason = 'cancelled' | 'expired' | 'shutdown' | 'ended';

/** The reason of a running task's `signal` once it is aborted. Code -32603. */
export class TaskAbortedError extends TaskError {
  readonly reason: TaskAbortReason;
  constructor(reason: TaskAbortReason, taskId: string) {
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

/** Work was started on a closed `TaskSupport`. Code -32603. */
export class TaskSupportClosedError extends TaskError {
  constructor() {
    super(ErrorCode.InternalError, 'The task runtime is shutting down: no new tasks are accepted');
  }
}

/** A `tools/call` for a tool this server does not have. Code -32602. */
export class UnknownToolError extends TaskError {
  constructor(name: string) {
    super(ErrorCode.InvalidParams, `Unknown tool: ${name}`, { tool: name });
  }
}

/** A `tools/call` whose arguments do not match the tool's input schema. Code -32602. */
export class InvalidToolArgumentsError extends TaskError {
  constructor(name: string, detail: string) {
    super(ErrorCode.InvalidParams, `Invalid arguments for tool ${name}: ${detail}`, { tool: name });
  }
}
