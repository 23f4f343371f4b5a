/**
 * The `TaskStore` contract: the SDK's `TaskStore` interface plus what an event-driven runtime needs.
 *
 * An instance can be handed to an SDK `Server` / `McpServer` as `taskStore`. The SDK passes its
 * transport's session id as the last (`sessionId`) argument of every method; this library's runtime
 * passes the task's **owner scope** there instead (an authorization identity such as
 * `client_id|sub`, else a session id). In both cases the rule is the same:
 *
 * - a task belongs to the scope given to `createTask`; `undefined` is the anonymous scope;
 * - every other scope gets "not found" for it (`null` from `getTask`, {@link TaskNotFoundError}
 *   from everything else) and never sees it in `listTasks` (R82–R86). The match is exact: the
 *   anonymous scope sees only anonymous tasks, a named scope sees only its own.
 *
 * Rules every implementation keeps (the contract kit in `mcp-tasks/testing` checks them):
 * - tasks begin in `working`; terminal statuses never change; `cancelled` wins over a later
 *   completion, which fails with {@link TaskTerminalError} and changes nothing (R25–R28, R72);
 * - `ttl` is resolved by the store's {@link TtlPolicy} and the reported `ttl` is the real one; a task
 *   expires `ttl` ms after `createdAt`, whatever its status, and is then "not found" (R40–R42);
 * - `createdAt` / `lastUpdatedAt` are ISO 8601 strings; `lastUpdatedAt` moves on every change (R38, R39);
 * - every change increments the task's `version` and wakes {@link TaskStore.waitForUpdate} waiters;
 * - ids carry at least 128 bits from `crypto` (R84);
 * - errors are the typed errors of `core/errors` (never plain `Error`s for expected conditions).
 */
import type { TaskStore as SdkTaskStore, CreateTaskOptions } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { Request, RequestId, Result, Task, TaskStatus } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcErrorData } from './errors.js';
import type { TtlPolicy } from './ttl.js';

export type { CreateTaskOptions };

/** The owner a task is bound to; `undefined` is the anonymous scope. */
export type TaskScope = string | undefined;

/**
 * How a task's underlying request ended: the result it returned (a `CallToolResult`, including
 * one with `isError: true`), or the JSON-RPC error it failed with (returned verbatim by
 * `tasks/result`, R50).
 */
export type TaskOutcome =
  | { readonly kind: 'result'; readonly result: Result }
  | { readonly kind: 'error'; readonly error: JsonRpcErrorData };

/** A task together with its change counter. */
export interface TaskState {
  readonly task: Task;
  /** Starts at {@link INITIAL_TASK_VERSION} on creation and increases by at least 1 on every change. */
  readonly version: number;
}

/** Who follows a task through {@link TaskStore.subscribe}. */
export interface TaskSubscriber {
  /** A new state of the task, or `null` once it no longer exists (expired or deleted). Must not throw. */
  onState(state: TaskState | null): void;
  /** The store was closed: no state comes any more. */
  onClose(): void;
}

/** What {@link TaskStore.finishTask} stores in one atomic step. */
export interface FinishTaskInput {
  status: 'completed' | 'failed';
  outcome: TaskOutcome;
  /** Replaces the status message; absent keeps the current one. */
  statusMessage?: string;
}

/** A change of a non-terminal task's status and/or status message. */
export interface TaskUpdate {
  /** The new status; absent keeps the current one. `completed`/`failed` go through `finishTask`. */
  status?: Extract<TaskStatus, 'working' | 'input_required' | 'cancelled'>;
  /** The new status message; absent keeps the current one. */
  statusMessage?: string;
}

/**
 * A request a running task made of its requestor and is waiting on (an `elicitation/create` or a
 * `sampling/createMessage`, as method and params): what the 2026-07-28 extension shows in the
 * `inputRequests` of `tasks/get`.
 */
export interface PendingInputRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** What {@link TaskStore.addInputRequest} / {@link TaskStore.removeInputRequest} changed. */
export interface InputRequestChange {
  /** The task after the change. */
  readonly task: Task;
  /** Whether its status moved (`working` → `input_required`, or back). */
  readonly statusChanged: boolean;
}

/** Most input requests one task may have pending at once; beyond it `addInputRequest` throws {@link QueueFullError}. */
export const MAX_PENDING_INPUT_REQUESTS = 100;

/** Limits that bound a store's memory (R89). */
export interface TaskStoreLimits {
  /** Most tasks held at once, all scopes together; creation beyond it throws {@link TaskLimitError}. */
  maxTasks: number;
  /** Most non-terminal tasks per scope; creation beyond it throws {@link TaskLimitError}. */
  maxActiveTasksPerScope: number;
}

/** Options every store implementation accepts. */
export interface TaskStoreOptions {
  /** TTL policy; see {@link TtlPolicy} for the defaults. */
  ttl?: Partial<TtlPolicy>;
  /** Limits; defaults: 100,000 tasks, 1,000 active tasks per scope. */
  limits?: Partial<TaskStoreLimits>;
  /** `tasks/list` page size. Default 50. */
  pageSize?: number;
  /** `pollInterval` (ms) reported for tasks created without one. Default 1,000. */
  defaultPollInterval?: number;
}

export const DEFAULT_STORE_LIMITS: Readonly<TaskStoreLimits> = Object.freeze({
  maxTasks: 100_000,
  maxActiveTasksPerScope: 1_000,
});
export const DEFAULT_PAGE_SIZE = 50;
/** The `version` of a task as {@link TaskStore.createTask} made it (the contract: every change increases it). */
export const INITIAL_TASK_VERSION = 1;
export const DEFAULT_POLL_INTERVAL = 1_000;

export interface TaskStore extends SdkTaskStore {
  /** The TTL policy this store applies. */
  readonly ttlPolicy: TtlPolicy;

  /**
   * Creates a task in `working` with a fresh id, the TTL resolved by the policy and
   * `pollInterval` from `taskParams` or the store default. Throws {@link TaskLimitError}.
   * `requestId` and `request` describe the originating request (only its method is kept).
   */
  createTask(taskParams: CreateTaskOptions, requestId: RequestId, request: Request, scope?: TaskScope): Promise<Task>;

  /** The task, or `null` if unknown, expired or in another scope. */
  getTask(taskId: string, scope?: TaskScope): Promise<Task | null>;

  /** The task with its version, or `null` if unknown, expired or in another scope. */
  getTaskState(taskId: string, scope?: TaskScope): Promise<TaskState | null>;

  /**
   * Changes status and/or status message of a non-terminal task. Throws {@link TaskNotFoundError},
   * or {@link TaskTerminalError} if the task is terminal (nothing changes then).
   */
  updateTask(taskId: string, update: TaskUpdate, scope?: TaskScope): Promise<Task>;

  /**
   * Stores the outcome, the final status and the status message in one atomic step. Throws
   * {@link TaskNotFoundError}, or {@link TaskTerminalError} if the task is already terminal
   * (so a cancelled task stays cancelled and keeps no outcome).
   */
  finishTask(taskId: string, input: FinishTaskInput, scope?: TaskScope): Promise<Task>;

  /**
   * The stored outcome of a terminal task; `null` while the task is not terminal or when it has
   * none (cancelled). Throws {@link TaskNotFoundError}.
   */
  getTaskOutcome(taskId: string, scope?: TaskScope): Promise<TaskOutcome | null>;

  /**
   * Resolves with the task's state as soon as its version is greater than `afterVersion`
   * (at once if it already is), or with `null` once the task no longer exists (expired or
   * deleted). Cannot lose a wake-up: a change made at any time after `afterVersion` was read
   * resolves it. Rejects with the signal's reason when `signal` aborts. Scope is not checked:
   * callers check it when they read the version.
   */
  waitForUpdate(taskId: string, afterVersion: number, signal?: AbortSignal): Promise<TaskState | null>;

  /**
   * Optional: follows a task without one wait per change. `subscriber.onState` gets every state
   * of the task after `afterVersion` in order (the current one first when its version is past
   * `afterVersion` already), or `null` once the task no longer exists; `onClose` is called when the
   * store closes. Calls are asynchronous (never from inside `subscribe` or the change itself) and
   * stop when the returned function is called. Cannot lose a wake-up, like
   * {@link waitForUpdate}; scope is not checked. Throws `StoreClosedError` once closed. The runtime
   * follows tasks with it where a store has it, else with `waitForUpdate`.
   */
  subscribe?(taskId: string, afterVersion: number, subscriber: TaskSubscriber): () => void;

  /**
   * Records a pending input request of a non-terminal task under `key` (unique over the task's
   * life) and makes the task `input_required`, in one atomic step (a new version). Throws
   * {@link TaskNotFoundError}, {@link TaskTerminalError}, or `QueueFullError` when
   * {@link MAX_PENDING_INPUT_REQUESTS} are pending already; nothing changes then.
   */
  addInputRequest(taskId: string, key: string, request: PendingInputRequest, scope?: TaskScope): Promise<InputRequestChange>;

  /**
   * Removes the pending input request `key` (answered, or given up); when it was the last one of an
   * `input_required` task, the task goes back to `working`, in the same atomic step. Resolves `null`
   * when `key` is not pending (never added, removed already, or the task is terminal): nothing
   * changes then. Throws {@link TaskNotFoundError}.
   */
  removeInputRequest(taskId: string, key: string, scope?: TaskScope): Promise<InputRequestChange | null>;

  /**
   * The pending input requests of an `input_required` task, by key; `{}` for a task in any other
   * status. Throws {@link TaskNotFoundError}.
   */
  getInputRequests(taskId: string, scope?: TaskScope): Promise<Record<string, PendingInputRequest>>;

  /** Deletes the task and its outcome; wakes its waiters with `null`. False if it was not there. */
  deleteTask(taskId: string, scope?: TaskScope): Promise<boolean>;

  /**
   * SDK method: the stored result. A stored JSON-RPC error is thrown as a `TaskOutcomeError`
   * (same code, message, data); a task without outcome throws `TaskCancelledError` when
   * cancelled, else {@link TaskNotFoundError}-style typed errors.
   */
  getTaskResult(taskId: string, scope?: TaskScope): Promise<Result>;

  /** SDK method: `finishTask` with `{ kind: 'result' }`; throws on a terminal task. */
  storeTaskResult(taskId: string, status: 'completed' | 'failed', result: Result, scope?: TaskScope): Promise<void>;

  /**
   * SDK method: moves a task to any status. `completed` / `failed` without a result keep the
   * previous outcome (none). Throws {@link TaskTerminalError} on a terminal task.
   */
  updateTaskStatus(taskId: string, status: TaskStatus, statusMessage?: string, scope?: TaskScope): Promise<void>;

  /**
   * The scope's tasks, oldest first, one page at a time with opaque cursors that stay valid when
   * the task they were derived from expires. A cursor this store did not issue (the empty string
   * included) throws {@link InvalidCursorError} (R64).
   */
  listTasks(cursor?: string, scope?: TaskScope): Promise<{ tasks: Task[]; nextCursor?: string }>;

  /** Releases timers and connections; waiters are rejected. Idempotent. */
  close(): Promise<void>;
}
