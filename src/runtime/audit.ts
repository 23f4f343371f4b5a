/**
 * Audit events (R90a/b): what the task runtime of this process did with a task, and for whom, for
 * an audit log or for spotting suspicious patterns such as many lookups of unknown ids (R90c).
 * Rate limiting (R88) is not here: it belongs in front of the server (e.g. an HTTP middleware).
 */
import type { TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import type { TaskScope } from '../core/taskStore.js';

/** What every audit event carries. */
export interface TaskEventBase {
  /** The task id (for `unknown-task`: the id that was asked for). */
  readonly taskId: string;
  /**
   * The owner scope of the requestor: the authorization context (`<clientId>|<sub>` by default),
   * else the session id, else `undefined` (anonymous). See `ScopeResolver`.
   */
  readonly scope: TaskScope;
  /** When it happened (ISO 8601). */
  readonly time: string;
}

/** A task was created for a task-augmented request (R90a). */
export interface TaskCreatedEvent extends TaskEventBase {
  readonly type: 'created';
  /** The method of the request the task runs (`tools/call`). */
  readonly method: string;
  /** The task's real `ttl` (ms). */
  readonly ttl: number | null;
}

/** This process moved a running task to another non-terminal status (`input_required`, `working`). */
export interface TaskStatusEvent extends TaskEventBase {
  readonly type: 'status';
  readonly status: TaskStatus;
}

/** The task's work ended and its outcome was stored (R90a: completion). */
export interface TaskFinishedEvent extends TaskEventBase {
  readonly type: 'finished';
  readonly status: 'completed' | 'failed';
  /** `result`: a result was stored (a `CallToolResult` with `isError: true` included); `error`: a JSON-RPC error. */
  readonly outcome: 'result' | 'error';
}

/** The task was cancelled with `tasks/cancel`. */
export interface TaskCancelledEvent extends TaskEventBase {
  readonly type: 'cancelled';
}

/** `tasks/result` returned the task's outcome (R90a: retrieval). */
export interface TaskResultRetrievedEvent extends TaskEventBase {
  readonly type: 'result-retrieved';
  /** `result`: a success response; `error`: the stored JSON-RPC error, or -32602 for a cancelled task. */
  readonly outcome: 'result' | 'error';
}

/** A `tasks/get`, `tasks/result`, `tasks/update` or `tasks/cancel` for an id that is unknown, expired or another owner's (R90c). */
export interface UnknownTaskEvent extends TaskEventBase {
  readonly type: 'unknown-task';
  readonly method: 'tasks/get' | 'tasks/result' | 'tasks/update' | 'tasks/cancel';
}

/** An audit event of the task runtime. */
export type TaskEvent =
  | TaskCreatedEvent
  | TaskStatusEvent
  | TaskFinishedEvent
  | TaskCancelledEvent
  | TaskResultRetrievedEvent
  | UnknownTaskEvent;

/** Receives audit events. It may be async; whatever it throws or rejects with is ignored. */
export type TaskEventListener = (event: TaskEvent) => void | Promise<void>;

/** Calls `listener` with `event`; never throws, and a rejected promise is caught. */
export function emitTaskEvent(listener: TaskEventListener | undefined, event: TaskEvent): void {
  if (listener === undefined) return;
  try {
    const returned = listener(event);
    if (returned !== undefined && typeof (returned as Promise<void>).catch === 'function') {
      (returned as Promise<void>).catch(() => undefined);
    }
  } catch {
    // an audit hook never breaks the runtime
  }
}

/** The fields every audit event carries, for `taskId` and `scope`, stamped now. */
export function auditFields(taskId: string, scope: TaskScope): TaskEventBase {
  return { taskId, scope, time: new Date().toISOString() };
}
