/**
 * Typed errors of the task runtime, and the one place where they (and anything else thrown)
 * become JSON-RPC error objects.
 *
 * Every {@link TaskError} carries its JSON-RPC `code` (and optional `data`), so the SDK's
 * Protocol sends it unchanged when a request handler throws it.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/** A JSON-RPC error object as it appears on the wire. */
export interface JsonRpcErrorData {
  code: number;
  message: string;
  data?: unknown;
}

/** Base class of every error the library maps to a JSON-RPC error code. */
export class TaskError extends Error {
  readonly code: number;
  readonly data?: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (data !== undefined) this.data = data;
  }
  /** The JSON-RPC error object for this error. */
  toJsonRpc(): JsonRpcErrorData {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/**
 * The task does not exist, has expired, or belongs to another owner scope. All three give the
 * same answer so that task existence is not revealed (R70, R85). Code -32602.
 */
export class TaskNotFoundError extends TaskError {
  readonly taskId: string;
  constructor(taskId: string) {
    super(ErrorCode.InvalidParams, 'Failed to retrieve task: Task not found');
    this.taskId = taskId;
  }
}

/** A change was asked of a task that is already terminal (R28, R69, R72). Code -32602. */
export class TaskTerminalError extends TaskError {
  readonly taskId: string;
  readonly status: 'completed' | 'failed' | 'cancelled';
  constructor(taskId: string, status: 'completed' | 'failed' | 'cancelled', action = 'update task') {
    super(ErrorCode.InvalidParams, `Cannot ${action}: already in terminal status '${status}'`);
    this.taskId = taskId;
    this.status = status;
  }
}

/** A `tasks/list` cursor that this store did not issue (R64). Code -32602. */
export class InvalidCursorError extends TaskError {
  constructor() {
    super(ErrorCode.InvalidParams, 'Invalid cursor');
  }
}

/** A task's message queue is full. Code -32603; the task that tried to queue sees it. */
export class QueueFullError extends TaskError {
  readonly taskId: string;
  readonly maxSize: number;
  constructor(taskId: string, maxSize: number, what = 'Task message queue is full', unit = 'messages') {
    super(ErrorCode.InternalError, `${what} (at most ${maxSize} ${unit} per task)`, { maxSize });
    this.taskId = taskId;
    this.maxSize = maxSize;
  }
}

/** A configured limit (total tasks, active tasks per owner) would be exceeded (R89). Code -32600. */
export class TaskLimitError extends TaskError {
  readonly limit: string;
  readonly max: number;
  constructor(limit: 'maxTasks' | 'maxActiveTasksPerScope', max: number, message: string) {
    super(ErrorCode.InvalidRequest, message, { limit, max });
    this.limit = limit;
    this.max = max;
  }
}

/**
 * `tasks/result` on a cancelled task, which has no result (the spec leaves this open, G3).
 * Code -32602, `data: { taskId, status: 'cancelled' }`.
 */
export class TaskCancelledError extends TaskError {
  constructor(taskId: string) {
    super(ErrorCode.InvalidParams, `Task ${taskId} was cancelled: it has no result`, { taskId, status: 'cancelled' });
  }
}

/** A request whose params do not match the method's schema (R94). Code -32602, with a readable message. */
export class InvalidRequestParamsError extends TaskError {
  constructor(method: string, detail: string) {
    super(ErrorCode.InvalidParams, `Invalid params for ${method}: ${detail}`, { method });
  }
}

/** The peer lacks a capability that a request needs (e.g. elicitation). Code -32600. */
export class CapabilityMissingError extends TaskError {
  constructor(message: string) {
    super(ErrorCode.InvalidRequest, message);
  }
}

/**
 * The backend behind a store, queue or response channel cannot be reached right now (connection
 * lost, server restarting or stalled); the operation did not happen, or its outcome is unknown.
 * Code -32603. The runtime retries the writes that must not be lost (a task's outcome) on this
 * error only; a custom backend throws it (or a subclass) for the same effect.
 */
export class StoreUnavailableError extends TaskError {
  constructor(message: string) {
    super(ErrorCode.InternalError, message);
  }
}

/**
 * A store, queue or response channel was used after `close()` (pending waiters are rejected with
 * it too). Code -32603: the server is shutting down, not the requestor's fault.
 */
export class StoreClosedError extends TaskError {
  constructor(what: string) {
    super(ErrorCode.InternalError, `${what} is closed`);
  }
}

/**
 * The JSON-RPC error that a task's underlying request ended with, re-thrown verbatim by
 * `tasks/result` (R50): same code, message and data.
 */
export class TaskOutcomeError extends TaskError {}

const MCP_PREFIX = /^MCP error -?\d+: /;

/**
 * Maps anything thrown to a JSON-RPC error object. This is the single mapping point:
 * typed errors keep their code, SDK `McpError`s keep code, message (without the SDK's
 * "MCP error N: " prefix) and data, and anything else becomes -32603 with its message.
 */
export function toJsonRpcError(err: unknown): JsonRpcErrorData {
  if (err instanceof TaskError) return err.toJsonRpc();
  if (err instanceof McpError) {
    const message = err.message.replace(MCP_PREFIX, '');
    return err.data === undefined ? { code: err.code, message } : { code: err.code, message, data: err.data };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: ErrorCode.InternalError, message: `Internal error: ${message || 'unknown error'}` };
}

/** Turns a JSON-RPC error object back into a throwable that the SDK sends unchanged. */
export function fromJsonRpcError(error: JsonRpcErrorData): TaskOutcomeError {
  return new TaskOutcomeError(error.code, error.message, error.data);
}
